/** `array`, or a copy of it at least `length` long (doubling, so n appends cost O(n) copying). */
export function grown<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(array: T, length: number): T {
  if (array.length >= length) return array;
  const next = new (array.constructor as new (length: number) => T)(Math.max(length, array.length * 2));
  next.set(array);
  return next;
}
