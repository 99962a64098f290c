import * as protobufjs from 'protobufjs';
import { Serdes } from '../../lib/serde/serdes';
import type { Serde } from '../../lib/serde/serde';

const Ping = protobufjs
  .parse('syntax = "proto3"; message Ping { string id = 1; }')
  .root.lookupType('Ping');

describe('Serdes', () => {
  it('should offer the built-in factories', () => {
    expect(Object.keys(Serdes).sort()).toEqual(['bytes', 'json', 'protobuf', 'string']);
  });

  it.each<[string, () => Serde<unknown>]>([
    ['bytes', () => Serdes.bytes()],
    ['string', () => Serdes.string()],
    ['json', () => Serdes.json()],
    ['protobuf', () => Serdes.protobuf(Ping)],
  ])('should map null to null both ways with %s', (_name, make) => {
    const serde = make();

    expect(serde.serialize('t', null)).toBeNull();
    expect(serde.deserialize('t', null)).toBeNull();
  });

  it('should round-trip a value with each serde', () => {
    expect(
      Serdes.bytes().deserialize('t', Serdes.bytes().serialize('t', Buffer.from('b'))),
    ).toEqual(Buffer.from('b'));
    expect(Serdes.string().deserialize('t', Serdes.string().serialize('t', 's'))).toBe('s');
    expect(Serdes.json().deserialize('t', Serdes.json().serialize('t', { j: 1 }))).toEqual({
      j: 1,
    });
    const ping = Serdes.protobuf<{ id: string }>(Ping);
    expect(ping.deserialize('t', ping.serialize('t', { id: 'p' }))).toMatchObject({ id: 'p' });
  });
});
