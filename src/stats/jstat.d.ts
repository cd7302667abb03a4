declare module 'jstat' {
  export const jStat: {
    ibetainv(p: number, a: number, b: number): number;
    ibeta(x: number, a: number, b: number): number;
    beta: { inv(p: number, a: number, b: number): number; cdf(x: number, a: number, b: number): number };
  };
}
