import { describe, expect, test } from 'vitest';
import { decideDisruptive, type LabelledObject } from '../../harness/provision/existing/disruptive.ts';

const ns = (name: string, labels: Record<string, string>): LabelledObject => ({ kind: 'Namespace', name, labels });

describe('existing clusters: disruptive suites need a disposable label or --allow-disruptive', () => {
  test('refused without a label in the spec, and says how to allow it', () => {
    const d = decideDisruptive([], undefined, false);
    expect(d.allowed).toBe(false);
    expect(d.reason).toMatch(/disposableLabel.*--allow-disruptive/);
  });

  test('the flag allows it and says so', () => {
    expect(decideDisruptive([], undefined, true)).toEqual({ allowed: true, reason: 'allowed by --allow-disruptive' });
  });

  test('a namespace or node carrying the label allows it, naming which', () => {
    const d = decideDisruptive([ns('sandbox', { 'example.com/disposable': 'true' })], 'example.com/disposable', false);
    expect(d).toEqual({ allowed: true, reason: 'Namespace sandbox is labelled example.com/disposable=true (disposable)' });
  });

  test('key=value must match exactly; value "false" never counts', () => {
    expect(decideDisruptive([ns('a', { env: 'prod' })], 'env=dev', false).allowed).toBe(false);
    expect(decideDisruptive([ns('a', { env: 'dev' })], 'env=dev', false).allowed).toBe(true);
    const off = decideDisruptive([ns('a', { disposable: 'false' })], 'disposable', false);
    expect(off.allowed).toBe(false);
    expect(off.reason).toMatch(/kubectl label namespace default disposable=true/);
  });
});
