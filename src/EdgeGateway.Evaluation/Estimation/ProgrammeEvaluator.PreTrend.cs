using EdgeGateway.Evaluation.Results;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeGateway.Evaluation.Estimation;

/// <summary>The pre-trend tests of one outcome and the headline's sensitivity to a continuing trend.</summary>
public static partial class ProgrammeEvaluator
{
    /// <summary>
    /// The joint and the linear pre-trend test and the trend sensitivity of one outcome (src/docs/evaluation.md,
    /// "Pre-trend tests"), registered with the bootstrap like every other estimate so that all share its draws.
    /// </summary>
    private sealed class PreTrendPlan
    {
        /// <summary>At most this many groups of pre event times enter the joint test, and at most (S − 1) / 5: Hotelling's F needs S − k well above k, more so the fewer the sites.</summary>
        private const int MaxJointGroups = 4;

        private readonly List<(Aggregate Aggregate, int Index)> _groups = [];
        private int _prePeriods;
        private (Aggregate Aggregate, int Index)? _mean;
        private (double Value, int Index, int TreatedSites)? _slope;
        private (double Value, int Index, int TreatedSites, double MeanEventsSinceBase)? _adjusted;

        public static PreTrendPlan Create(
            StaggeredDesign design, double[][] values, GroupTimeEffects postEffects, int clusters, Aggregate? overall, Func<int, int, bool> postRamp, List<double[]> influences)
        {
            var plan = new PreTrendPlan();
            var effects = new GroupTimeEffects(design, values, universalBasePrePeriods: true);
            int Register(double[] influence)
            {
                influences.Add(influence);
                return influences.Count - 1;
            }

            // Event times before the base (e ≤ −2), newest first.
            List<int> preEvents = [.. effects.EventTimes().Where(e => e <= -2).OrderDescending()];
            plan._prePeriods = preEvents.Count;
            if (preEvents.Count == 0 || clusters < 2)
            {
                return plan;
            }

            // All pre periods, pooled into consecutive groups: the clustered covariance of k effects from S sites
            // needs S well above k (Hotelling's F has S − k denominator degrees of freedom), so instead of testing
            // only the last few periods (which dilutes a slow drift) every period enters, some averaged together.
            var groups = Math.Min(preEvents.Count, JointGroups(clusters));
            for (var i = 0; i < groups; i++)
            {
                var newest = preEvents[i * preEvents.Count / groups];
                var oldest = preEvents[((i + 1) * preEvents.Count / groups) - 1];
                var aggregate = effects.Aggregate(oldest, newest)!;
                plan._groups.Add((aggregate, Register(aggregate.Influence)));
            }

            var mean = effects.Aggregate(int.MinValue, -2)!;
            plan._mean = (mean, Register(mean.Influence));

            // Slope through the base (effect 0 at e = −1 by construction): β = Σ n_e (e+1) δ_e / Σ n_e (e+1)²,
            // weighted by the treated cells n_e behind each δ_e; its influence is the same combination of theirs.
            var slopeInfluence = new double[design.Sites];
            double numerator = 0, denominator = 0;
            foreach (var e in preEvents)
            {
                var effect = effects.Aggregate(e, e)!;
                var weight = effect.TreatedCells * (e + 1.0);
                numerator += weight * effect.Value;
                denominator += weight * (e + 1.0);
                for (var s = 0; s < slopeInfluence.Length; s++)
                {
                    slopeInfluence[s] += weight * effect.Influence[s];
                }
            }

            for (var s = 0; s < slopeInfluence.Length; s++)
            {
                slopeInfluence[s] /= denominator;
            }

            var slope = numerator / denominator;
            plan._slope = (slope, Register(slopeInfluence), mean.TreatedSites);

            var meanEvents = postEffects.MeanPeriodsSinceBase(postRamp);
            if (overall is not null && double.IsFinite(meanEvents))
            {
                // Effect minus the extrapolated trend, with the influence of that difference: its interval carries
                // the slope's uncertainty times the event time and the covariance of effect and slope.
                var adjusted = new double[design.Sites];
                for (var s = 0; s < adjusted.Length; s++)
                {
                    adjusted[s] = overall.Influence[s] - (meanEvents * slopeInfluence[s]);
                }

                plan._adjusted = (overall.Value - (meanEvents * slope), Register(adjusted), overall.TreatedSites, meanEvents);
            }

            return plan;
        }

        /// <summary>Groups the joint test may use with <paramref name="clusters"/> sites: (S − 1) / 5, from 1 to 4.</summary>
        internal static int JointGroups(int clusters) => Math.Clamp((clusters - 1) / 5, 1, MaxJointGroups);

        public (PreTrendTest? Joint, LinearPreTrendTest? Linear, TrendSensitivity? Sensitivity) Finish(Inference inference)
        {
            if (!inference.Possible)
            {
                return (null, null, null);
            }

            LinearPreTrendTest? linear = null;
            if (_slope is var (slope, slopeIndex, slopeSites))
            {
                // The same t reference as the intervals: G₁ − 1 degrees of freedom (treated sites it rests on).
                var estimate = inference.Estimate(slopeIndex, slope, slopeSites);
                var degrees = DegreesOfFreedom(slopeSites, inference.Clusters);
                var t = estimate.StandardError > 0 ? slope / estimate.StandardError : double.NaN;
                var p = double.IsFinite(t) ? 2 * (1 - StudentT.CDF(0, 1, degrees, Math.Abs(t))) : double.NaN;
                linear = new LinearPreTrendTest(estimate, t, degrees, p);
            }

            TrendSensitivity? sensitivity = _adjusted is var (value, index, sites, meanEvents)
                ? new TrendSensitivity(meanEvents, inference.Estimate(index, value, sites))
                : null;
            return (Joint(inference), linear, sensitivity);
        }

        private PreTrendTest? Joint(Inference inference)
        {
            if (_groups.Count == 0 || _mean is not var (mean, meanIndex))
            {
                return null;
            }

            var k = _groups.Count;
            var covariance = Matrix<double>.Build.Dense(k, k, (i, j) => inference.Covariance(_groups[i].Index, _groups[j].Index));
            var effects = Vector<double>.Build.Dense(k, i => _groups[i].Aggregate.Value);

            // Pseudo-inverse through the eigen-decomposition: directions the bootstrap cannot vary are dropped.
            var evd = covariance.Evd(Symmetricity.Symmetric);
            var eigenvalues = evd.EigenValues.Map(z => z.Real);
            var tolerance = eigenvalues.Maximum() * k * 1e-10;
            var projected = evd.EigenVectors.TransposeThisAndMultiply(effects);
            var wald = 0.0;
            var rank = 0;
            for (var i = 0; i < k; i++)
            {
                if (eigenvalues[i] > tolerance)
                {
                    wald += projected[i] * projected[i] / eigenvalues[i];
                    rank++;
                }
            }

            if (rank == 0)
            {
                return null;
            }

            // Small-cluster reference (Hotelling): W (S − k) / (k (S − 1)) ~ F(k, S − k) rather than W ~ χ²(k), which
            // rejects far too often with a covariance estimated from a few dozen sites.
            var clusters = inference.Clusters;
            var f = clusters > rank ? wald * (clusters - rank) / (rank * (clusters - 1.0)) : double.NaN;
            var p = clusters > rank ? 1 - FisherSnedecor.CDF(rank, clusters - rank, f) : double.NaN;
            return new PreTrendTest(wald, rank, p, inference.Estimate(meanIndex, mean.Value, mean.TreatedSites))
            {
                PrePeriods = _prePeriods,
                FStatistic = f,
                DenominatorDegreesOfFreedom = clusters - rank,
            };
        }
    }
}
