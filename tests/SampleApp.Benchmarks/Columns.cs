using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SampleApp.Benchmarks;

/// <summary>Round trips per operation (asserted in GlobalSetup; the expected count is the asserted one).</summary>
public sealed class RoundTripsColumn : IColumn
{
    public string Id => nameof(RoundTripsColumn);
    public string ColumnName => "Round trips";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Database commands per operation, counted by a DbCommandInterceptor and asserted";
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        => Shape.ByMethod(benchmarkCase.Descriptor.WorkloadMethod.Name).ExpectedRoundTrips.ToString(CultureInfo.InvariantCulture);
}

/// <summary>MODEL, not a measurement: measured mean + round trips × 1 ms network RTT.</summary>
public sealed class ModelledLatencyColumn : IColumn
{
    public string Id => nameof(ModelledLatencyColumn);
    public string ColumnName => "Modelled @1ms RTT";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "MODEL: measured Mean (in-process SQLite) + Round trips x 1 ms network round-trip time";
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNs is null)
        {
            return "NA";
        }

        var roundTrips = Shape.ByMethod(benchmarkCase.Descriptor.WorkloadMethod.Name).ExpectedRoundTrips;
        return Modelled(meanNs.Value / 1e6, roundTrips).ToString("N2", CultureInfo.InvariantCulture) + " ms";
    }

    public static double Modelled(double measuredMs, int roundTrips) => measuredMs + roundTrips * Shape.ModelRttMs;
}
