/**
 * GET /openapi.json describes exactly what the command table serves, with each action's own
 * body fields, and every path it lists answers as a known command.
 */
import { expect } from 'chai';
import { commandTable } from '../../services/commands/commands';
import { adminRest, startEmbedded, type Embedded } from '../support/embedded';

interface Operation {
  operationId: string;
  parameters: { name: string; in: string; required: boolean }[];
  requestBody: { required: boolean; content: { 'application/json': { schema: { type?: string; properties?: Record<string, unknown>; required?: string[] } } } };
  'x-parley-action': string;
}
interface Document {
  openapi: string;
  paths: Record<string, { post?: Operation }>;
}

describe('OpenAPI document (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let doc: Document;

  before(async () => {
    server = await startEmbedded();
    const res = await fetch(`${server.baseUrl}/openapi.json`);
    expect(res.status).to.equal(200);
    doc = (await res.json()) as Document;
  });
  after(() => server?.stop());

  it('is an OpenAPI 3 document', () => {
    expect(doc.openapi).to.match(/^3\./);
  });

  it('lists exactly the commands of the command table, under their names and aliases', () => {
    const served = commandTable(server.broker)
      .list()
      .flatMap((entry) => [entry.command, ...(entry.aliases ?? [])])
      .map((name) => `/v4/${name}`)
      .sort();
    expect(Object.keys(doc.paths).sort()).to.deep.equal(served);
    expect(served).to.include.members(['/v4/im_open_login_svc/account_import', '/v4/openim/querystate']);
  });

  it('gives each operation the request body fields its action declares', () => {
    const table = commandTable(server.broker);
    for (const [path, item] of Object.entries(doc.paths)) {
      const op = item.post as Operation;
      const entry = table.get(path.slice('/v4/'.length));
      expect(op['x-parley-action'], path).to.equal(entry?.action);
      const declared = (table.paramsOf(op['x-parley-action']) as { body: { props: Record<string, unknown> } }).body.props;
      const schema = op.requestBody.content['application/json'].schema;
      expect(schema.type, path).to.equal('object');
      expect(Object.keys(schema.properties ?? {}).sort(), path).to.deep.equal(Object.keys(declared).filter((k) => !k.startsWith('$$')).sort());
    }
  });

  it('marks required body fields and the query parameters of the REST URL', () => {
    const op = doc.paths['/v4/im_open_login_svc/account_import'].post as Operation;
    expect(op.requestBody.content['application/json'].schema.required).to.deep.equal(['UserID']);
    expect(op.parameters.map((p) => p.name)).to.deep.equal(['sdkappid', 'identifier', 'usersig', 'random', 'contenttype']);
  });

  it('lists only paths that answer as known commands when POSTed', async () => {
    const rest = adminRest(server);
    for (const path of Object.keys(doc.paths)) {
      const answer = await rest.call(path.slice('/v4/'.length), {});
      expect(answer.ErrorCode, `${path}: ${answer.ErrorInfo}`).to.not.equal(60009);
      expect(answer.ErrorCode, `${path}: ${answer.ErrorInfo}`).to.not.be.oneOf([60010, 70001, 70009]);
    }
  });
});
