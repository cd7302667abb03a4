import type { Rng } from '../rng/rng.js';
import type { SphereKernel } from './kernel.js';
import { NormalSampler, drawSpherePoint, fillSphereRows } from '../rng/ziggurat.js';

/**
 * The data distribution D of `neuron-rf` (THEORY.md §8, a choice): x uniform on S^{d−1},
 * y = clip(f_T(x) + noise·ξ, −1, 1), ξ ~ N(0, 1), with the teacher
 *
 *   f_T(x) = Σ_j β_j·H(z_j, x) / M,
 *
 * r = `anchors` anchors z_j uniform on S, β_j ~ N(0, 1), H the kernel of the experiment's
 * activation for w uniform on S, and M the max of |Σ_j β_j H(z_j, x)| over 10^4 points
 * drawn from the teacher's stream after the anchors and β. f_T is an infinite
 * random-features function: E_w[α(w)·σ(⟨w, x⟩)] with α(w) = Σ_j β_j σ(⟨w, z_j⟩)/M.
 */
export interface Teacher {
  kernel: SphereKernel;
  d: number;
  anchors: Float64Array;
  beta: Float64Array;
  /** 1/M. */
  scale: number;
}

export const TEACHER_NORMALIZATION_POINTS = 10000;

export function sampleTeacher(rng: Rng, kernel: SphereKernel, d: number, r: number): Teacher {
  const normals = new NormalSampler(rng);
  const anchors = new Float64Array(r * d);
  fillSphereRows(normals, anchors, r, d);
  const beta = new Float64Array(r);
  for (let j = 0; j < r; j++) beta[j] = normals.next();
  const teacher: Teacher = { kernel, d, anchors, beta, scale: 1 };
  const x = new Float64Array(d);
  let max = 0;
  for (let p = 0; p < TEACHER_NORMALIZATION_POINTS; p++) {
    drawSpherePoint(normals, x, 0, d);
    max = Math.max(max, Math.abs(teacherValue(teacher, x, 0)));
  }
  teacher.scale = max > 0 ? 1 / max : 1;
  return teacher;
}

/** f_T at the unit vector points[offset .. offset + d). */
export function teacherValue(teacher: Teacher, points: Float64Array, offset: number): number {
  const { kernel, d, anchors, beta } = teacher;
  let f = 0;
  for (let j = 0; j < beta.length; j++) {
    let t = 0;
    for (let c = 0; c < d; c++) t += anchors[j * d + c] * points[offset + c];
    f += beta[j] * kernel.at(t);
  }
  return f * teacher.scale;
}

/**
 * N labelled points of D from `rng`, in order: for each point, x (d normals, normalized)
 * then ξ. Writes x into `points` (N × d) and y into `labels`.
 */
export function sampleLabeledPoints(rng: Rng, teacher: Teacher, noise: number, N: number, points: Float64Array, labels: Float64Array): void {
  const normals = new NormalSampler(rng);
  const d = teacher.d;
  for (let p = 0; p < N; p++) {
    drawSpherePoint(normals, points, p * d, d);
    const y = teacherValue(teacher, points, p * d) + noise * normals.next();
    labels[p] = y > 1 ? 1 : y < -1 ? -1 : y;
  }
}
