// Weights are stored as int8 with one scale per class: a quarter of float32's size, and the
// rounding moves scores by far less than the margins the SVM keeps.

/** Feature-major float weights → base64 int8 plus per-class scales. */
export function encodeWeights(weights: Float32Array, classes: number): { data: string; scales: number[] } {
  const scales = new Array<number>(classes).fill(0);
  for (let i = 0; i < weights.length; i++) {
    const k = i % classes;
    scales[k] = Math.max(scales[k]!, Math.abs(weights[i]!));
  }
  for (let k = 0; k < classes; k++) scales[k] = scales[k]! > 0 ? scales[k]! / 127 : 1;
  const bytes = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) bytes[i] = Math.round(weights[i]! / scales[i % classes]!);
  return { data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), scales };
}

export function decodeWeights(data: string, scales: readonly number[], classes: number): Float32Array {
  const buffer = Buffer.from(data, 'base64');
  const bytes = new Int8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const weights = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) weights[i] = bytes[i]! * scales[i % classes]!;
  return weights;
}
