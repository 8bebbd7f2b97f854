using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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
        await InstallDevDependenciesAsync(plugin);
        var (exitCode, output) = await ChildProcess.RunAsync(node, ["--test"], plugin, new Dictionary<string, string?>(), TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 0, "node --test failed:\n" + output);
        var passed = Count(output, "pass");
        Assert.True(passed > 0, "node --test ran no test:\n" + output);
        Assert.Equal(0, Count(output, "fail"));
        // Every test must run: the captures they replay are in the repository, so a skipped, cancelled or todo test
        // means something is missing, not that it is optional.
        Assert.True(Count(output, "skipped") + Count(output, "cancelled") + Count(output, "todo") == 0, "node --test did not run every test:\n" + output);
        // A skipped describe() block is not counted on the "# skipped" line (node 20 prints "# skipped 0" for it, and its
        // tests never appear): only the TAP directive on the suite's own line shows it.
        var directives = Regex.Matches(output, @"^\s*(?:not )?ok \d+ - (.*# (?:SKIP|TODO)\b.*)$", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value.Trim()).ToList();
        Assert.True(directives.Count == 0, "node --test skipped tests or suites:\n" + string.Join('\n', directives));
        TestContext.Current.SendDiagnosticMessage($"OpenClaw plugin: {passed} node tests passed");
    }

    /// <summary>
    /// The tests' devDependencies (ajv, which checks each written line against docs/openclaw-spool-line.schema.json) come
    /// from package-lock.json with <c>npm ci</c>, once per clone: the plugin itself has no dependencies.
    /// </summary>
    private static async Task InstallDevDependenciesAsync(string plugin)
    {
        if (File.Exists(Path.Combine(plugin, "node_modules", "ajv", "package.json")))
        {
            return;
        }

        var npm = ChildProcess.Find("npm");
        Assert.True(npm is not null, "node is installed but npm is not: the OpenClaw plugin's tests need `npm ci` in integrations/openclaw-plugin for their devDependencies (package-lock.json).");
        var (exitCode, output) = await ChildProcess.RunAsync(npm, ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], plugin,
            new Dictionary<string, string?>(), TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, "`npm ci` in integrations/openclaw-plugin (the Node tests' devDependencies) failed:\n" + output);
    }

    /// <summary>The count on node:test's summary line <c># {name} N</c> (TAP reporter); fails when the line is absent.</summary>
    private static int Count(string output, string name)
    {
        var match = Regex.Match(output, $@"^# {name} (\d+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"node --test printed no '# {name}' summary line:\n" + output);
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
