import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type { JsonSchema, OpenApiDocument } from './openapi-document';
import { stringFormats } from './openapi-formats';

const documentId = 'openapi.json';

/** JSON Schema validation of values against schemas of one OpenAPI document. */
export interface OpenApiValidator {
  /** Ajv's errors for `value` against the schema at `pointer` in the document, or [] when it is valid. */
  errorsAt(pointer: string, value: unknown): ErrorObject[];
  /** Ajv's errors for `value` against `schema`, whose `$ref`s point into the document. */
  errorsFor(schema: JsonSchema, value: unknown): ErrorObject[];
}

class AjvOpenApiValidator implements OpenApiValidator {
  readonly #ajv: Ajv2020;
  readonly #byPointer = new Map<string, ValidateFunction>();
  readonly #bySchema = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDocument) {
    // Not strict: the document is no schema itself (openapi, paths, …) and its schemas may carry
    // OpenAPI's own keywords (discriminator, example, xml), which Ajv's strict mode refuses.
    this.#ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    for (const [name, format] of Object.entries(stringFormats))
      this.#ajv.addFormat(name, { type: 'string', validate: format.check });
    this.#ajv.addSchema(doc, documentId);
  }

  errorsAt(pointer: string, value: unknown): ErrorObject[] {
    let validate = this.#byPointer.get(pointer);
    if (validate === undefined) {
      validate = this.#ajv.compile({ $ref: `${documentId}#${pointer}` });
      this.#byPointer.set(pointer, validate);
    }
    return validate(value) ? [] : [...(validate.errors ?? [])];
  }

  errorsFor(schema: JsonSchema, value: unknown): ErrorObject[] {
    const key = JSON.stringify(schema);
    let validate = this.#bySchema.get(key);
    if (validate === undefined) {
      validate = this.#ajv.compile(rebase(schema));
      this.#bySchema.set(key, validate);
    }
    return validate(value) ? [] : [...(validate.errors ?? [])];
  }
}

/** `schema` with its local `$ref`s pointing into the document by its id. */
function rebase(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
    key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${documentId}${value}` : value,
  ) as JsonSchema;
}

/**
 * A validator for the schemas of `doc` (Ajv, JSON Schema 2020-12, the dialect of OpenAPI 3.1),
 * with the formats the document uses checked.
 * @throws Error when the document's schemas do not compile.
 */
export function newOpenApiValidator(doc: OpenApiDocument): OpenApiValidator {
  return new AjvOpenApiValidator(doc);
}

/** Ajv's errors as one line each: `/error/code must be equal to one of the allowed values (…)`. */
export function describeErrors(errors: readonly ErrorObject[]): string[] {
  return errors.map((e) => {
    const params = JSON.stringify(e.params);
    return `${e.instancePath || '(the body)'} ${e.message ?? e.keyword} ${params} [${e.schemaPath}]`;
  });
}
