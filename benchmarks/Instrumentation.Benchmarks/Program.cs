using BenchmarkDotNet.Running;

namespace Instrumentation.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Instrumentation.Benchmarks -- --filter '*'</c>; filter by class with,
/// for example, <c>--filter '*NoListener*'</c>. Each class carries its own job (see docs/benchmarks.md).
/// <c>-- probe-generator</c> prints the generator's incremental step report instead (see <see cref="GeneratorProbe"/>).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["probe-generator"])
        {
            GeneratorProbe.Run();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkSetup.Config());
    }
}
