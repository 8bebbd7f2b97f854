using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Instrumentation.OpenClaw.Input;
using Instrumentation.Testing;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>
/// The bridge's hook-name list (<see cref="HookNames"/>) and the plugin's (integrations/openclaw-plugin/src/hook-names.js)
/// are one list in two languages: the plugin records the names it registers, the bridge counts a name outside its list
/// as unknown. This reads the JavaScript file and compares.
/// </summary>
public sealed class HookNameAgreementTests
{
    private static readonly string s_hookNamesJs = File.ReadAllText(
        Path.Combine(RepositoryPaths.Root, "integrations", "openclaw-plugin", "src", "hook-names.js"));

    [Fact]
    public void The_bridge_knows_the_plugins_hook_names_in_the_plugins_order()
    {
        var array = Regex.Match(s_hookNamesJs, @"export const HOOK_NAMES = Object\.freeze\(\[(?<names>[^\]]*)\]\)");
        Assert.True(array.Success, "hook-names.js has no `export const HOOK_NAMES = Object.freeze([...])`");
        var pluginNames = Regex.Matches(array.Groups["names"].Value, "\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(42, pluginNames.Count);
        Assert.Equal(pluginNames, HookNames.OpenClaw);
    }

    [Fact]
    public void The_registration_line_has_the_same_name_on_both_sides()
    {
        var register = Regex.Match(s_hookNamesJs, "export const REGISTER_HOOK = \"([^\"]+)\"");
        Assert.True(register.Success, "hook-names.js has no `export const REGISTER_HOOK = \"...\"`");
        Assert.Equal(HookNames.PluginRegister, register.Groups[1].Value);
    }

    [Fact]
    public void Every_known_name_is_a_plugin_name_or_one_of_the_two_own_records()
    {
        var extra = HookNames.Known.Except(HookNames.OpenClaw).OrderBy(n => n, System.StringComparer.Ordinal);
        Assert.Equal(new[] { HookNames.PluginRegister, HookNames.ProviderCall }, extra);
    }
}
