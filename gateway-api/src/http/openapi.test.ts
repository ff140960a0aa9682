import { vitalSignOf } from '@careledger/contract';
import Ajv2020 from 'ajv/dist/2020';
import { errorCatalog } from '../errors/error-catalog';
import { sampleReading } from '../testing/sample-reading';
import { routeTable } from '../routes/route-table';
import { renderDocsPage } from './docs-page';
import { buildOpenApi } from './openapi';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: { Error: { properties: { error: { properties: { code: { enum: string[] } } } } } } };
};

describe('buildOpenApi', () => {
  const doc = buildOpenApi(routeTable, '1.2.3') as unknown as Doc;

  it('describes every route with its transaction, from the schemas that validate it', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const r of routeTable) {
      const op = doc.paths[`/api/v1${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`]?.[r.method];
      expect(op).toMatchObject({ 'x-careledger-transaction': r.transaction });
      expect(op?.requestBody !== undefined).toBe(r.body !== undefined);
    }
  });

  it('generates parameters and bodies as JSON Schema', () => {
    const query = doc.paths['/api/v1/patients/{patientId}/vitals']?.get as {
      parameters: { name: string; in: string; required: boolean; schema: { maximum?: number } }[];
    };
    expect(query.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual([
      'path:patientId:true',
      'query:pageSize:false',
      'query:bookmark:false',
      'query:custodian:false',
      'query:from:false',
      'query:to:false',
      'query:type:false',
    ]);
    expect(query.parameters[1]?.schema.maximum).toBe(200);
    const batch = doc.paths['/api/v1/vitals/batch']?.post as {
      requestBody: {
        content: { 'application/json': { schema: { properties: { readings: { maxItems: number } } } } };
      };
    };
    expect(batch.requestBody.content['application/json'].schema.properties.readings.maxItems).toBe(50);
  });

  it('documents every status an operation answers, with a schema, and no catch-all', () => {
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p)) as {
      operationId: string;
      responses: Record<string, { content: Record<string, { schema?: unknown }> }>;
    }[];
    expect(ops).toHaveLength(routeTable.length + 4);
    for (const op of ops) {
      const statuses = Object.keys(op.responses);
      expect([op.operationId, statuses.includes('default')]).toEqual([op.operationId, false]);
      expect(statuses).toEqual(expect.arrayContaining(['400', '401', '403', '500', '503']));
      for (const [status, r] of Object.entries(op.responses)) {
        if (op.operationId !== 'Events_stream' || status !== '200') {
          expect([op.operationId, status, r.content['application/json']?.schema]).toEqual([
            op.operationId,
            status,
            expect.any(Object),
          ]);
        }
      }
    }
    const record = doc.paths['/api/v1/vitals']?.post as { responses: Record<string, unknown> };
    expect(Object.keys(record.responses)).toEqual(
      expect.arrayContaining(['200', '201', '202', '404', '409', '413', '415', '504']),
    );
    const read = doc.paths['/api/v1/organizations']?.get as { responses: Record<string, unknown> };
    expect(Object.keys(read.responses)).not.toEqual(expect.arrayContaining(['404']));
    expect(Object.keys(read.responses)).not.toEqual(expect.arrayContaining(['409']));
  });

  it('describes answers exactly: a stored reading validates, one with an undocumented field does not', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema(doc, 'doc');
    const check = ajv.getSchema(
      'doc#/paths/~1api~1v1~1vitals/post/responses/201/content/application~1json/schema',
    );
    const actor = { mspId: 'HospitalAMSP', role: 'nurse', id: 'x' };
    const reading = vitalSignOf(sampleReading, {
      id: sampleReading.readingId,
      custodianMspId: 'HospitalAMSP',
      at: '2026-11-22T10:00:01.000Z',
      by: actor,
      txId: 'a'.repeat(64),
      replayed: false,
    });
    const answer = {
      data: { reading, replayed: false },
      meta: { transactionId: 'a'.repeat(64), blockNumber: '7' },
    };
    expect(check?.(JSON.parse(JSON.stringify(answer)))).toBe(true);
    expect(check?.({ ...answer, data: { ...answer.data, reading: { ...reading, salt: 'x' } } })).toBe(false);
    expect(check?.({ ...answer, meta: { transactionId: 'nope' } })).toBe(false);
    expect(check?.({ data: answer.data })).toBe(false);
  });

  it('states the request rules it enforces', () => {
    const consent = doc.paths['/api/v1/consents']?.post as {
      requestBody: {
        content: { 'application/json': { schema: { properties: Record<string, Record<string, unknown>> } } };
      };
    };
    const props = consent.requestBody.content['application/json'].schema.properties;
    expect(props.scopes).toMatchObject({ uniqueItems: true });
    expect(props.purpose).toMatchObject({ minLength: 1, pattern: '\\S' });
    expect(props.validUntil?.description).toMatch(/after validFrom/);
    const status = doc.paths['/api/v1/transactions/{transactionId}']?.get as {
      parameters: { schema: { pattern: string } }[];
    };
    expect(status.parameters[0]?.schema.pattern).toBe('^[0-9a-f]{64}$');
  });

  it('lists every error code of the catalogue', () => {
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual(
      Object.keys(errorCatalog),
    );
  });
});

describe('renderDocsPage', () => {
  it('renders every operation, escaped, with no scripts or external assets', () => {
    const html = renderDocsPage(buildOpenApi(routeTable, '<v>'));
    for (const r of routeTable) expect(html).toContain(r.path.replace(/:([A-Za-z]+)/g, '{$1}'));
    expect(html).toContain('&#60;v&#62;');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});
