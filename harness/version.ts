import { readFileSync } from 'node:fs';
import { packagePath } from './paths.ts';

/** The package version, as recorded in every report's run manifest. */
export const toolVersion: string = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
