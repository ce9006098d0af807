import { describe, expect, it } from 'vitest';
import { Emitter, logListenerError } from '../../../shared/events/emitter.js';

describe('emitter', () => {
  it('calls every listener in order with the arguments, and stops calling one that unsubscribed', () => {
    const errors: unknown[] = [];
    const e = new Emitter<[n: number, s: string]>((err) => errors.push(err));
    const heard: string[] = [];
    const offA = e.on((n, s) => heard.push(`a${n}${s}`));
    e.on((n, s) => heard.push(`b${n}${s}`));
    e.emit(1, 'x');
    offA();
    offA();
    e.emit(2, 'y');
    expect(heard).toEqual(['a1x', 'b1x', 'b2y']);
    expect(e.size).toBe(1);
    expect(errors).toEqual([]);
  });

  it('a throwing listener neither stops the listeners after it nor reaches the caller; its error goes to onError once', () => {
    const errors: unknown[] = [];
    const e = new Emitter<[number]>((err) => errors.push(err));
    const heard: number[] = [];
    e.on((n) => heard.push(n));
    e.on(() => {
      throw new Error('listener broke');
    });
    e.on((n) => heard.push(n * 10));
    expect(() => e.emit(3)).not.toThrow();
    expect(heard).toEqual([3, 30]);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('listener broke');
  });

  it('survives an onError that throws too', () => {
    const e = new Emitter(() => {
      throw new Error('log broke');
    });
    let after = 0;
    e.on(() => {
      throw new Error('listener broke');
    });
    e.on(() => (after += 1));
    expect(() => e.emit()).not.toThrow();
    expect(after).toBe(1);
  });

  it('keeps two subscriptions of one function apart, and a listener removed mid-emit does not run', () => {
    const e = new Emitter<[]>(() => {});
    let calls = 0;
    const f = () => (calls += 1);
    const off1 = e.on(f);
    e.on(f);
    off1();
    e.emit();
    expect(calls).toBe(1);

    const order: string[] = [];
    let offLater = () => {};
    e.clear();
    e.on(() => {
      order.push('first');
      offLater();
      e.on(() => order.push('added'));
    });
    offLater = e.on(() => order.push('removed'));
    e.emit();
    expect(order).toEqual(['first']);
    e.clear();
    expect(e.size).toBe(0);
  });

  it('logs one line naming the listener and the error', () => {
    const lines: string[] = [];
    const e = new Emitter<[]>(logListenerError((l) => lines.push(l), 'a snapshot'));
    e.on(() => {
      throw new Error('boom');
    });
    e.on(() => {
      throw 'not an Error';
    });
    e.emit();
    expect(lines).toEqual(['a snapshot listener threw: boom', 'a snapshot listener threw: not an Error']);
  });
});
