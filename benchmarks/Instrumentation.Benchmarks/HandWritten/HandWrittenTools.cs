using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Instrumentation.Benchmarks.Targets;
using static Instrumentation.Benchmarks.HandWritten.HandWrittenSource;

namespace Instrumentation.Benchmarks.HandWritten;

/// <summary>
/// The baseline of the tool benchmarks: the best hand-written tracing of <see cref="ForecastTools"/>' methods, recording
/// the span the generated wrapper records (name, kind, <c>mlflow.spanType</c>, <c>gen_ai.operation.name</c>,
/// <c>gen_ai.tool.name</c>, <c>gen_ai.tool.type</c>, inputs and outputs JSON, status Ok) and calling the same bodies.
/// HasListeners() fast path, no closures, a completed task is recorded without awaiting, the pending case in a static
/// local async function.
/// </summary>
public sealed class HandWrittenTools
{
    private const string SpanName = "get_forecast";

    private readonly ForecastTools _tools = new();

    public string GetForecast(string city, int days)
    {
        if (!Source.HasListeners())
        {
            return _tools.GetForecastCore(city, days);
        }

        var activity = StartSpan(city, days);
        try
        {
            var result = _tools.GetForecastCore(city, days);
            EndSpan(activity, result);
            return result;
        }
        catch (Exception ex)
        {
            Fail(activity, ex);
            throw;
        }
    }

    public Task<string> GetForecastAsync(string city, int days)
    {
        if (!Source.HasListeners())
        {
            return _tools.GetForecastAsyncCore(city, days);
        }

        var activity = StartSpan(city, days);
        Task<string> task;
        try
        {
            task = _tools.GetForecastAsyncCore(city, days);
        }
        catch (Exception ex)
        {
            Fail(activity, ex);
            throw;
        }

        if (task.IsCompletedSuccessfully)
        {
            EndSpan(activity, task.Result);
            return task;
        }

        Activity.Current = activity?.Parent; // the caller does not continue inside the span
        return AwaitAsync(activity, task);

        static async Task<string> AwaitAsync(Activity? activity, Task<string> task)
        {
            try
            {
                var result = await task.ConfigureAwait(false);
                EndSpan(activity, result);
                return result;
            }
            catch (Exception ex)
            {
                Fail(activity, ex);
                throw;
            }
        }
    }

    public ValueTask<string> GetForecastValueAsync(string city, int days)
    {
        if (!Source.HasListeners())
        {
            return _tools.GetForecastValueAsyncCore(city, days);
        }

        var activity = StartSpan(city, days);
        ValueTask<string> task;
        try
        {
            task = _tools.GetForecastValueAsyncCore(city, days);
        }
        catch (Exception ex)
        {
            Fail(activity, ex);
            throw;
        }

        if (task.IsCompletedSuccessfully)
        {
            var result = task.Result;
            EndSpan(activity, result);
            return new ValueTask<string>(result);
        }

        Activity.Current = activity?.Parent;
        return AwaitAsync(activity, task);

        static async ValueTask<string> AwaitAsync(Activity? activity, ValueTask<string> task)
        {
            try
            {
                var result = await task.ConfigureAwait(false);
                EndSpan(activity, result);
                return result;
            }
            catch (Exception ex)
            {
                Fail(activity, ex);
                throw;
            }
        }
    }

    private static Activity? StartSpan(string city, int days)
    {
        var activity = Source.StartActivity(SpanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("mlflow.spanType", "TOOL");
            activity.SetTag("gen_ai.operation.name", "execute_tool");
            activity.SetTag("gen_ai.tool.name", SpanName);
            activity.SetTag("gen_ai.tool.type", "function");
            if (CaptureContent)
            {
                activity.SetTag("mlflow.spanInputs", InputsJson(city, days));
            }
        }

        return activity;
    }

    private static void EndSpan(Activity? activity, string result)
    {
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested && CaptureContent)
        {
            activity.SetTag("mlflow.spanOutputs", OutputJson(result));
        }

        activity.SetStatus(ActivityStatusCode.Ok);
        activity.Stop();
    }

    /// <summary><c>{"city":..,"days":..}</c>, written on the pooled writer.</summary>
    public static string InputsJson(string city, int days)
    {
        var json = PooledJson.Main;
        json.Writer.WriteStartObject();
        json.Writer.WriteString("city", city);
        json.Writer.WriteNumber("days", days);
        json.Writer.WriteEndObject();
        return json.ToStringAndReset();
    }

    /// <summary>The result as a JSON string, written on the pooled writer.</summary>
    public static string OutputJson(string result)
    {
        var json = PooledJson.Main;
        json.Writer.WriteStringValue(result);
        return json.ToStringAndReset();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.AddException(exception);
        activity.Stop();
    }
}
