import fc from 'fast-check';
import { validArbitrary } from './openapi-arbitraries';
import type { JsonSchema, OpenApiDocument } from './openapi-document';
import { invalidArbitrary } from './openapi-invalid-arbitraries';
import { describeErrors, newOpenApiValidator } from './openapi-validator';

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$' };

/** A small document with every keyword the builder supports. */
const doc: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {},
  components: {
    schemas: {
      Id: id,
      Money: {
        type: 'object',
        required: ['amount', 'currency'],
        additionalProperties: false,
        properties: {
          amount: { type: 'number', minimum: 0, exclusiveMaximum: 1e6 },
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        },
      },
      Reading: {
        oneOf: [
          {
            type: 'object',
            required: ['kind', 'value'],
            additionalProperties: false,
            properties: { kind: { const: 'single' }, value: { type: 'integer', minimum: 1, maximum: 300 } },
          },
          {
            type: 'object',
            required: ['kind', 'high', 'low'],
            additionalProperties: false,
            properties: {
              kind: { type: 'string', const: 'pair' },
              high: { type: 'number' },
              low: { type: 'number' },
            },
          },
        ],
      },
      Record: {
        allOf: [
          {
            type: 'object',
            required: ['recordId', 'at'],
            properties: {
              recordId: { $ref: '#/components/schemas/Id' },
              at: { type: 'string', format: 'date-time' },
            },
          },
          {
            type: 'object',
            required: ['tags', 'status'],
            additionalProperties: false,
            properties: {
              recordId: {},
              at: {},
              tags: {
                type: 'array',
                items: { enum: ['a', 'b', 'c', 'd'] },
                minItems: 1,
                maxItems: 3,
                uniqueItems: true,
              },
              status: { type: 'string', enum: ['open', 'closed'] },
              note: { type: ['string', 'null'], minLength: 1, maxLength: 20 },
              uuid: { type: 'string', format: 'uuid' },
              born: { type: 'string', format: 'date' },
              email: { type: 'string', format: 'email' },
              price: { $ref: '#/components/schemas/Money' },
              reading: { $ref: '#/components/schemas/Reading' },
              value: { anyOf: [{ type: 'number' }, { type: 'string', minLength: 1, maxLength: 5 }] },
              labels: { type: 'object', additionalProperties: { type: 'boolean' } },
            },
          },
        ],
      },
    },
  },
};

const validator = newOpenApiValidator(doc);
const names = Object.keys(doc.components?.schemas ?? {});
const schemaOf = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const options = { root: doc, now: Date.parse('2025-06-01T00:00:00Z') };

describe('openapi arbitraries', () => {
  describe('validArbitrary', () => {
    it.each(names)('generates only values that Ajv accepts for %s', (name) => {
      fc.assert(
        fc.property(validArbitrary(schemaOf(name), options), (value) => {
          expect(describeErrors(validator.errorsFor(schemaOf(name), value))).toEqual([]);
        }),
        { seed: 21, numRuns: 300 },
      );
    });

    it('draws the known values for a property of that name', () => {
      const known = (name: string) => (name === 'recordId' ? ['seeded-1'] : []);
      const values = fc.sample(validArbitrary(schemaOf('Record'), { ...options, known }), {
        seed: 21,
        numRuns: 200,
      });
      const seeded = values.filter((v) => (v as { recordId: string }).recordId === 'seeded-1').length;
      expect(seeded).toBeGreaterThan(100);
      expect(seeded).toBeLessThan(200);
    });
  });

  describe('invalidArbitrary', () => {
    it.each(names)('generates only values that Ajv refuses for %s', (name) => {
      const invalid = invalidArbitrary(schemaOf(name), options);
      expect(invalid).toBeDefined();
      fc.assert(
        fc.property(invalid!, (value) => {
          expect(validator.errorsFor(schemaOf(name), value)).not.toEqual([]);
        }),
        { seed: 21, numRuns: 300 },
      );
    });

    it('makes every kind of mistake the schemas can catch', () => {
      const keywords = new Set<string>();
      for (const name of names) {
        const invalid = invalidArbitrary(schemaOf(name), options)!;
        for (const value of fc.sample(invalid, { seed: 21, numRuns: 1000 }))
          for (const error of validator.errorsFor(schemaOf(name), value)) keywords.add(error.keyword);
      }
      expect([...keywords].sort()).toEqual(
        expect.arrayContaining([
          'additionalProperties',
          'const',
          'enum',
          'exclusiveMaximum',
          'format',
          'maxItems',
          'maxLength',
          'maximum',
          'minItems',
          'minLength',
          'minimum',
          'oneOf',
          'pattern',
          'required',
          'type',
          'uniqueItems',
        ]),
      );
    });

    it('has nothing to offer for a schema that allows everything', () => {
      expect(invalidArbitrary({}, options)).toBeUndefined();
    });
  });
});
