using Microsoft.Playwright;

namespace TutorClaw.Mcp.IntegrationTests.Browser;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright's driver from its NuGet package (nothing is
/// downloaded: the browser is the system one, installed by scripts/ensure-chromium.sh, which
/// scripts/test.sh runs first). One browser for the test class; each visit gets its own context.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ExecutablePath}: run scripts/ensure-chromium.sh (as root) or apt-get install chromium.");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
