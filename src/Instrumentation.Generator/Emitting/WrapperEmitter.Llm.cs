using System;
using Instrumentation.Generator.Model;

namespace Instrumentation.Generator.Emitting;

/// <summary>The lines only an <c>[LlmCall]</c> wrapper has: the chat request, the policy decision, the response.</summary>
internal static partial class WrapperEmitter
{
    private const string ChatRequests = "global::Instrumentation.Runtime.CompilerServices.ChatRequests";
    private const string DecisionType = "global::Instrumentation.Runtime.Llm.LlmCallDecision";

    /// <summary>The adapter generated for an SDK (see <see cref="SdkAdapterEmitter"/>), fully qualified.</summary>
    internal static string AdapterName(LlmSdk sdk) => "global::" + SdkAdapterEmitter.Namespace + "." + SdkAdapterEmitter.ClassName(sdk);

    private sealed partial class MethodWriter
    {
        private readonly string _decision;

        private void WriteChatRequest(LlmModel llm)
        {
            var model = _m.Model is null ? "null" : Parsing.TypeDisplay.Literal(_m.Model);
            _w.Line(llm.Request switch
            {
                RequestKind.Prompt => ChatRequests + ".RecordPrompt(" + _span + ", " + llm.RequestParameter + ", " + model + ");",
                RequestKind.Anthropic => AdapterName(LlmSdk.Anthropic) + ".RecordRequest(" + _span + ", " + llm.RequestParameter + ");",
                _ => AdapterName(llm.RequestSdk) + ".RecordRequest(" + _span + ", " + llm.RequestParameter + ", " + (llm.ToolsParameter ?? "null") + ", " + model + ");",
            });
        }

        /// <summary>The type a policy's substitute response must have: the result type, <c>object</c> when the method
        /// returns nothing (a substitute then only skips the call), and, for a stream, a type no response has, so a
        /// substitute is refused and the call sent.</summary>
        private string ResultTypeForDecision() => _m.Shape switch
        {
            ReturnShape.AsyncEnumerable => DecisionType,
            ReturnShape.Void or ReturnShape.Task or ReturnShape.ValueTask => "object",
            _ => _m.ResultType,
        };

        private void WriteDecision(string resultType)
        {
            if (IsLlm)
            {
                _w.Line("var " + _decision + " = " + WrapperSpans + ".BeginCall<" + resultType + ">(" + _span + ");");
            }
        }

        /// <summary>The body call, or, when a policy stopped the call, its substitute wrapped by <paramref name="wrap"/>
        /// (<c>Resolve</c> throws for a blocked call).</summary>
        private string GuardedCall(Func<string, string> wrap) => IsLlm
            ? _decision + ".IsContinue ? " + _call + " : " + wrap(WrapperSpans + ".Resolve<" + _m.ResultType + ">(" + _decision + ")")
            : _call;

        private void WriteSkippableCall(string callStatement, string? completedStatement)
        {
            _w.Open("if (" + _decision + ".IsContinue)");
            _w.Line(callStatement);
            _w.Close();
            _w.Open("else");
            _w.Line(WrapperSpans + ".Resolve<object>(" + _decision + ");");
            if (completedStatement is not null)
            {
                _w.Line(completedStatement);
            }

            _w.Close();
        }

        private string RecordResponseStatement(LlmModel llm, string value) => llm.Response switch
        {
            ResponseKind.Generic => _span + ".SetOutput(" + value + ");",
            ResponseKind.Custom => ChatRequests + ".RecordResponse(" + _span + ", " + value + ");",
            _ => AdapterName(llm.ResponseSdk(streaming: false)) + ".RecordResponse(" + _span + ", " + value + ");",
        };
    }
}
