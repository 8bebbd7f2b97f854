using System.Linq;
using Instrumentation.Generator.Model;

namespace Instrumentation.Generator.Emitting;

/// <summary>
/// The wrapper of a method returning <c>IAsyncEnumerable&lt;T&gt;</c>. The body is called at once (so its synchronous
/// exceptions stay synchronous); the span starts when the caller starts enumerating, is made current before each
/// step so spans the body starts nest under it, and ends when enumeration completes, fails, or is abandoned.
/// </summary>
internal static partial class WrapperEmitter
{
    private const string CompilerServicesNamespace = "global::Instrumentation.Runtime.CompilerServices.";

    private sealed partial class MethodWriter
    {
        private readonly string _stream;
        private readonly string _recorder;
        private readonly string _outcome;
        private readonly string _enumerator;
        private readonly string _item;
        private readonly string _cancellation;
        private readonly string _traceStream;
        private readonly string _failed;

        private void WriteStreamBody()
        {
            _w.Line(_m.ReturnType + " " + _stream + ";");
            _w.Open("try");
            _w.Line(_stream + " = " + _call + ";");
            _w.Close();
            _w.Open("catch (" + ExceptionType + " " + _exception + ")");
            _w.Line("var " + _failed + " = " + StartExpression() + ";");
            _w.Line(_failed + ".SetError(" + _exception + ");");
            _w.Line(_failed + ".End();");
            _w.Line("throw;");
            _w.Close();
            _w.Line();

            // The iterator takes the parameters it records, by value: an async iterator cannot take 'in' parameters.
            var carried = _m.Parameters.Where(p => p.Capture != CaptureMode.Skip || IsRequestOrTools(p)).ToList();
            var arguments = string.Concat(carried.Select(p => ", " + p.Name));
            var parameters = string.Concat(carried.Select(p => ", " + p.Type + " " + p.Name));
            _w.Line("return " + _traceStream + "(" + _stream + arguments + ");");
            _w.Line();

            _w.Open("static async " + _m.ReturnType + " " + _traceStream + "(" + _m.ReturnType + " " + _stream + parameters
                + ", [global::System.Runtime.CompilerServices.EnumeratorCancellation] global::System.Threading.CancellationToken " + _cancellation + " = default)");
            _w.Line("var " + _span + " = " + StartExpression() + ";");
            WriteInputs();
            WriteDecision(ResultTypeForDecision());
            _w.Line("var " + _recorder + " = " + CompilerServicesNamespace + "StreamRecorder<" + _m.ResultType + ">.For(" + _span + RecorderMode() + ");");
            _w.Line("var " + _outcome + " = " + CompilerServicesNamespace + "StreamOutcome.Abandoned;");
            _w.Line("global::System.Collections.Generic.IAsyncEnumerator<" + _m.ResultType + ">? " + _enumerator + " = null;");
            _w.Open("try");

            _w.Open("try");
            if (IsLlm)
            {
                _w.Open("if (!" + _decision + ".IsContinue)");
                _w.Line(WrapperSpans + ".Resolve<object>(" + _decision + ");");
                _w.Close();
            }

            _w.Line(_enumerator + " = " + _stream + ".GetAsyncEnumerator(" + _cancellation + ");");
            _w.Close();
            WriteStreamCatch();
            _w.Line();

            _w.Open("while (true)");
            _w.Line(_m.ResultType + " " + _item + ";");
            _w.Open("try");
            _w.Line(WrapperSpans + ".MakeCurrent(" + _span + ");");
            _w.Open("if (!await " + _enumerator + ".MoveNextAsync().ConfigureAwait(false))");
            _w.Line(_outcome + " = " + CompilerServicesNamespace + "StreamOutcome.Completed;");
            _w.Line("break;");
            _w.Close();
            _w.Line();
            _w.Line(_item + " = " + _enumerator + ".Current;");
            _w.Close();
            WriteStreamCatch();
            _w.Line();
            if (IsLlm && _m.Llm!.ResponseSdk(streaming: true) is var sdk and not LlmSdk.None)
            {
                _w.Line(AdapterName(sdk) + ".RecordUpdate(" + _recorder + ".Chat!, " + _item + ");");
            }

            _w.Line(_recorder + ".OnItem(" + _item + ");");
            _w.Line("yield return " + _item + ";");
            _w.Close();
            _w.Close();

            _w.Open("finally");
            _w.Open("try");
            _w.Open("if (" + _enumerator + " is not null)");
            _w.Line("await " + _enumerator + ".DisposeAsync().ConfigureAwait(false);");
            _w.Close();
            _w.Close();
            _w.Open("finally");
            _w.Line(_recorder + ".Complete(" + _outcome + ");");
            _w.Line(_span + ".End();");
            _w.Close();
            _w.Close();
            _w.Close();
        }

        private void WriteStreamCatch()
        {
            _w.Open("catch (" + ExceptionType + " " + _exception + ")");
            _w.Line(_outcome + " = " + CompilerServicesNamespace + "StreamOutcome.Failed;");
            _w.Line(_span + ".SetError(" + _exception + ");");
            _w.Line("throw;");
            _w.Close();
        }

        private string RecorderMode() => IsLlm
            ? ", adapted: " + (_m.Llm!.ResponseSdk(streaming: true) == LlmSdk.None ? "false" : "true")
            : string.Empty;

        private bool IsRequestOrTools(ParameterModel parameter) =>
            _m.Llm is { } llm && (parameter.Name == llm.RequestParameter || parameter.Name == llm.ToolsParameter);
    }
}
