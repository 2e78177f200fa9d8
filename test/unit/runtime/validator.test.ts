/**
 * The broker's parameter validator (runtime/moleculer/validator.ts): values fastest-validator
 * cannot print are refused as invalid, not thrown as TypeErrors; null in an optional field
 * reaches the handler as an absent field.
 */
import { expect } from 'chai';
import { ServiceBroker } from 'moleculer';
import { RequestValidator } from '../../../runtime/moleculer/validator';

describe('request validator', () => {
  const broker = new ServiceBroker({ logger: false, validator: new RequestValidator() });
  let seen: unknown;
  broker.createService({
    name: 'probe',
    actions: {
      echo: {
        params: {
          $$strict: 'remove',
          body: { type: 'object', props: { Name: { type: 'string', optional: true }, List: { type: 'array', optional: true, items: { type: 'object', props: { Key: 'string', Value: { type: 'string', optional: true } } } } } },
        },
        handler(ctx) {
          seen = ctx.params;
          return true;
        },
      },
    },
  });
  before(() => broker.start());
  after(() => broker.stop());

  it('refuses a value whose error message cannot be printed with a validation error', async () => {
    const err = await broker.call('probe.echo', { body: { Name: [{ toString: 1 }] } }).catch((e: { type?: string }) => e);
    expect((err as { type?: string }).type).to.equal('VALIDATION_ERROR');
  });

  it('removes null from optional fields, in nested objects and array items too', async () => {
    await broker.call('probe.echo', { body: { Name: null, List: [{ Key: 'k', Value: null }] } });
    expect(seen).to.deep.equal({ body: { List: [{ Key: 'k' }] } });
  });

  it('still refuses null where a field is required', async () => {
    const err = await broker.call('probe.echo', { body: { List: [{ Key: null }] } }).catch((e: { type?: string }) => e);
    expect((err as { type?: string }).type).to.equal('VALIDATION_ERROR');
  });
});
