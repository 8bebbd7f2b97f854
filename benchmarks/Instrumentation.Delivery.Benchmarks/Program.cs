using System;
using BenchmarkDotNet.Running;
using Instrumentation.Delivery.Benchmarks;

// dotnet run -c Release --project benchmarks/Instrumentation.Delivery.Benchmarks -- burst [stock]
// dotnet run -c Release --project benchmarks/Instrumentation.Delivery.Benchmarks -- latency [stock] [traces]
// dotnet run -c Release --project benchmarks/Instrumentation.Delivery.Benchmarks -- paced [traces]
// dotnet run -c Release --project benchmarks/Instrumentation.Delivery.Benchmarks -- appthread   (BenchmarkDotNet)
var mode = args.Length > 0 ? args[0] : "burst";
var stock = Array.IndexOf(args, "stock") >= 0;
switch (mode)
{
    case "burst":
        DeliveryRuns.Burst(stock, traces: 10_000);
        break;
    case "latency":
        DeliveryRuns.OnePerSecond(stock, traces: args.Length > 1 && int.TryParse(args[^1], out var n) ? n : 30);
        break;
    case "paced":
        DeliveryRuns.Paced(traces: args.Length > 1 && int.TryParse(args[^1], out var paced) ? paced : 2_000);
        break;
    case "appthread":
        BenchmarkRunner.Run<AppThreadBenchmarks>(args: args[1..]);
        break;
    default:
        Console.Error.WriteLine("modes: burst [stock] | latency [stock] [traces] | paced [traces] | appthread");
        return 2;
}

return 0;
