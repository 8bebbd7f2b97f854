using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Reports;

namespace Instrumentation.Benchmarks;

/// <summary>What every benchmark class shares: the memory diagnoser, ratio columns against each group's baseline, and the
/// median and minimum beside the mean: on a shared machine other processes only ever add time, so the median and the
/// minimum are the steadier estimates when the mean is pulled up by interference. The job (how many launches and
/// iterations) is set per class, by how fine a difference it has to resolve.</summary>
public static class BenchmarkSetup
{
    public static IConfig Config() => DefaultConfig.Instance
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddColumn(StatisticColumn.Median, StatisticColumn.Min)
        .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40))
        .WithOptions(ConfigOptions.DisableLogFile);
}
