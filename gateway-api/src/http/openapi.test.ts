import { errorCatalog } from '../errors/error-catalog';
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
