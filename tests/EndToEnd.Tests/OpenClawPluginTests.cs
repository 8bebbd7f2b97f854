using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Instrumentation.Testing;

namespace EndToEnd.Tests;

/// <summary>Runs the OpenClaw plugin's own <c>node:test</c> suite, so <c>dotnet test</c> covers the JavaScript too.</summary>
public sealed class OpenClawPluginTests
{
    [Fact]
    public async Task The_plugin_node_tests_pass()
    {
        var node = ChildProcess.Find("node");
        if (node is null)
        {
            Assert.Skip("node is not installed: the OpenClaw plugin's tests (integrations/openclaw-plugin, `node --test`) were not run.");
        }

        var plugin = Path.Combine(RepositoryPaths.Root, "integrations", "openclaw-plugin");
        var (exitCode, output) = await ChildProcess.RunAsync(node, ["--test"], plugin, new Dictionary<string, string?>(), TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 0, "node --test failed:\n" + output);
        var passed = int.Parse(Regex.Match(output, @"^# pass (\d+)", RegexOptions.Multiline).Groups[1].Value);
        Assert.True(passed > 0, "node --test ran no test:\n" + output);
        Assert.Matches(@"(?m)^# fail 0$", output);
        TestContext.Current.SendDiagnosticMessage($"OpenClaw plugin: {passed} node tests passed");
    }
}
