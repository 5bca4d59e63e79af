package dev.brun.review;

/**
 * Exact hypergeometric probabilities for a finite stratum: drawing n of N conversations without
 * replacement when D of them are defective. Computed from log-factorials so strata of tens of
 * thousands stay exact to double precision without overflow.
 */
public final class Hypergeometric {

    private final int population;
    private final double[] logFactorial;

    public Hypergeometric(int population) {
        if (population < 0) throw new IllegalArgumentException("population must be >= 0");
        this.population = population;
        this.logFactorial = new double[population + 1];
        for (int i = 1; i <= population; i++) logFactorial[i] = logFactorial[i - 1] + Math.log(i);
    }

    public int population() {
        return population;
    }

    private double logChoose(int n, int k) {
        if (k < 0 || k > n) return Double.NEGATIVE_INFINITY;
        return logFactorial[n] - logFactorial[k] - logFactorial[n - k];
    }

    /** P(X = k) for X ~ Hypergeometric(N, defective, drawn). */
    public double probability(int defective, int drawn, int k) {
        double log = logChoose(defective, k) + logChoose(population - defective, drawn - k)
                - logChoose(population, drawn);
        return log == Double.NEGATIVE_INFINITY ? 0 : Math.exp(log);
    }

    /** P(X <= k). */
    public double cumulative(int defective, int drawn, int k) {
        double sum = 0;
        int low = Math.max(0, drawn - (population - defective));
        for (int i = low; i <= Math.min(k, Math.min(drawn, defective)); i++) sum += probability(defective, drawn, i);
        return Math.min(1, sum);
    }
}
