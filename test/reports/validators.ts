// Schema validators shared by the writer tests: ajv (draft 2020-12) for the JSON and SARIF schemas we publish,
// xmllint-wasm against reports/schema/junit.xsd for JUnit. Compiled once per test file.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { validateXML } from 'xmllint-wasm';
import { packagePath } from '../../harness/paths.ts';

function compile(schemaFile: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(packagePath('reports', 'schema', schemaFile), 'utf8')) as object);
}

export const validateReportJson = compile('report.schema.json');
export const validateSarifJson = compile('sarif-2.1.0-reduced.schema.json');

export async function validateJunitXml(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [{ fileName: 'junit.xsd', contents: readFileSync(packagePath('reports', 'schema', 'junit.xsd'), 'utf8') }],
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}
