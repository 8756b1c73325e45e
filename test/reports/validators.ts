// Schema validators shared by the writer tests: ajv (draft 2020-12) for the JSON and SARIF schemas we publish,
// ajv-draft-04 for the official SARIF schema, xmllint-wasm against reports/schema/junit.xsd for JUnit. Compiled once per test file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { validateXML } from 'xmllint-wasm';
import { packagePath } from '../../harness/paths.ts';

const require = createRequire(import.meta.url);

function compile(schemaFile: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(packagePath('reports', 'schema', schemaFile), 'utf8')) as object);
}

export const validateReportJson = compile('report.schema.json');
// The official SARIF 2.1.0 (rtm.5) schema, draft-04, as Microsoft ships it for its own SARIF matchers. Its
// language pattern (`[a-zA-Z]{2}]?`) is not a valid unicode regular expression, hence unicodeRegExp: false.
function compileSarif() {
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile(
    JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object,
  );
}

export const validateSarifJson = compileSarif();

export async function validateJunitXml(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [{ fileName: 'junit.xsd', contents: readFileSync(packagePath('reports', 'schema', 'junit.xsd'), 'utf8') }],
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}
