import { describe, expect, it } from 'vitest';
import { auditPath, details, eventLabel, EVENT_TYPES, filtersOf, fromLocalInput, toLocalInput } from '../src/lib/audit';

describe('the audit log filters', () => {
  it('live in the address', () => {
    const f = filtersOf('?project=team&type=io.berth.member.created.v1&page=3');
    expect(f).toEqual({ project: 'team', user: '', type: 'io.berth.member.created.v1', from: '', to: '', page: 3 });
    expect(auditPath(f)).toBe('/audit?project=team&type=io.berth.member.created.v1&page=3');
    expect(auditPath({ project: ' ', page: 1 })).toBe('/audit');
    expect(filtersOf('?page=-2').page).toBe(1);
  });
  it('turn datetime-local values into ISO instants and back', () => {
    const iso = fromLocalInput('2026-12-05T10:30');
    expect(iso).toMatch(/^2026-12-0[45]T\d\d:30:00\.000Z$/);
    expect(toLocalInput(iso)).toBe('2026-12-05T10:30');
    expect(fromLocalInput('')).toBe('');
    expect(toLocalInput('not a time')).toBe('');
  });
  it('names every event type auth records', () => {
    expect(EVENT_TYPES).toHaveLength(22);
    expect(eventLabel('io.berth.robot.created.v1')).toBe('Robot created');
    expect(eventLabel('io.berth.new.thing.v9')).toBe('io.berth.new.thing.v9');
  });
  it('writes an entry\'s data without the fields shown in columns', () => {
    expect(details({ id: '1', type: 't', time: '', project: 'p', user: 'a', clientIp: null, subject: null,
      data: { project: 'p', username: 'bob', role: 'guest', actor: 'a', clientIp: '1.2.3.4' } })).toBe('role: guest, username: bob');
  });
});
