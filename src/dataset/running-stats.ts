// Count, sum, min, max, mean and sample variance in one pass (Welford), reusable across flows.

export class RunningStats {
  n = 0;
  sum = 0;
  min = 0;
  max = 0;
  private mean_ = 0;
  private m2 = 0;

  reset(): this {
    this.n = this.sum = this.min = this.max = this.mean_ = this.m2 = 0;
    return this;
  }

  add(x: number): void {
    this.n++;
    this.sum += x;
    if (this.n === 1 || x < this.min) this.min = x;
    if (this.n === 1 || x > this.max) this.max = x;
    const d = x - this.mean_;
    this.mean_ += d / this.n;
    this.m2 += d * (x - this.mean_);
  }

  /** 0 when empty, as CICFlowMeter writes it. */
  get mean(): number {
    return this.n ? this.mean_ : 0;
  }

  /** Sample variance (n - 1, as pandas and Apache Commons Math); 0 for fewer than two values. */
  get variance(): number {
    return this.n > 1 ? Math.max(0, this.m2 / (this.n - 1)) : 0;
  }

  get std(): number {
    return Math.sqrt(this.variance);
  }
}
