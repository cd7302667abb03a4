/**
 * The activations of the neuron-pruning experiments (THEORY.md §8): σ is L-Lipschitz
 * with σ(0) ≤ L. ReLU is the default; tanh, softplus and sigmoid are options.
 *
 * Hot paths never call σ per element through a function value: `applyActivation`
 * switches once per buffer and runs a plain loop in each branch.
 */
export const ACTIVATIONS = ['relu', 'tanh', 'softplus', 'sigmoid'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** σ(z) for one value (set-up code and tests; hot loops use `applyActivation`). */
export function activate(activation: Activation, z: number): number {
  switch (activation) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'tanh':
      return Math.tanh(z);
    case 'softplus':
      return softplus(z);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
  }
}

/** log(1 + e^z) without overflow for large z and without cancellation for very negative z. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Applies σ in place to buf[0 .. length). One switch a buffer, no closure in the loop. */
export function applyActivation(activation: Activation, buf: Float64Array, length: number): void {
  switch (activation) {
    case 'relu':
      for (let j = 0; j < length; j++) if (!(buf[j] > 0)) buf[j] = 0;
      return;
    case 'tanh':
      for (let j = 0; j < length; j++) buf[j] = Math.tanh(buf[j]);
      return;
    case 'softplus':
      for (let j = 0; j < length; j++) {
        const z = buf[j];
        buf[j] = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      }
      return;
    case 'sigmoid':
      for (let j = 0; j < length; j++) buf[j] = 1 / (1 + Math.exp(-buf[j]));
      return;
  }
}

/**
 * B = max over |z| ≤ 1 of |σ(z)| (THEORY.md §8): every feature σ(⟨w, x⟩) with ‖w‖, ‖x‖ ≤ 1
 * lies in [−B, B]. All four are monotone, so the max is at z = ±1:
 * ReLU 1, tanh tanh(1) ≈ 0.762, sigmoid 1/(1 + e⁻¹) ≈ 0.731, softplus ln(1 + e) ≈ 1.313.
 */
export function activationBound(activation: Activation): number {
  return Math.max(Math.abs(activate(activation, 1)), Math.abs(activate(activation, -1)));
}
