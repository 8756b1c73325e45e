// Every CLI command, in the order `--help` lists them. Each module exports `register(program)`.
import type { Command } from 'commander';
import { register as validate } from './validate.ts';
import { register as scan } from './scan.ts';
import { register as run } from './run.ts';
import { register as collect } from './collect.ts';
import { register as reachability } from './reachability.ts';
import { register as cidrs } from './cidrs.ts';
import { register as iam } from './iam.ts';
import { register as up } from './up.ts';
import { register as down } from './down.ts';
import { register as info } from './info.ts';
import { register as sweep } from './sweep.ts';
import { register as image } from './image.ts';

export const commands: ((program: Command) => void)[] = [
  validate, scan, run, collect, reachability, cidrs, iam, up, down, info, sweep, image,
];
