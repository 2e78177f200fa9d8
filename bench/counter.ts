/**
 * A minimal actor kind for the runtime's own tests and benchmarks: a counter whose every
 * addition is an event. Its schema lives here, not in schemas/, because it is no product
 * feature; tests and benches add it to the codec.
 */
import { DomainError, jsonSnapshot, type ActorKind } from '../runtime/kind';

export const ADDED = 'parley.counter.Added';

export const counterSchemas = [
  {
    type: 'record',
    name: ADDED,
    fields: [
      { name: 'by', type: 'int' },
      { name: 'total', type: 'long' },
      { name: 'requestId', type: ['null', 'string'], default: null },
    ],
  },
];

export interface CounterState {
  total: number;
  additions: number;
}

export type CounterCommand = { op: 'add'; by: number; requestId?: string } | { op: 'get' };

export interface AddedEvent {
  type: typeof ADDED;
  data: { by: number; total: number; requestId: string | null };
}

export interface CounterReply {
  total: number;
}

export const counterKind: ActorKind<CounterState, CounterCommand, AddedEvent, CounterReply> = {
  name: 'counter',
  initialState: () => ({ total: 0, additions: 0 }),
  decide(state, command) {
    switch (command.op) {
      case 'add': {
        if (!Number.isInteger(command.by) || command.by === 0) throw new DomainError(10004, 'by must be a non-zero integer');
        const total = state.total + command.by;
        return { events: [{ type: ADDED, data: { by: command.by, total, requestId: command.requestId ?? null } }], reply: { total } };
      }
      case 'get':
        return { events: [], reply: { total: state.total } };
      default: {
        const never: never = command;
        throw new DomainError(10004, `unknown counter command ${JSON.stringify(never)}`);
      }
    }
  },
  evolve: (state, event) => ({ total: event.data.total, additions: state.additions + 1 }),
  snapshot: jsonSnapshot<CounterState>('counter.v1'),
};
