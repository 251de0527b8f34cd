using Microsoft.Playwright;
using TutorClaw.Mcp.IntegrationTests.Support;

namespace TutorClaw.Mcp.IntegrationTests.Browser;

/// <summary>
/// One page opened in Chromium as a phone shows it: a 390×844 viewport, touch, mobile meta-viewport
/// handling. Every request the page makes is recorded, and any to another host is aborted before it
/// leaves the machine; console errors (a Content-Security-Policy violation is one) and page errors
/// are recorded too. A full-page screenshot is saved under TestResults/browser/ at the repository
/// root (ignored by git) before anything is asserted, so a failing page can be looked at.
/// </summary>
public sealed class PhoneVisit : IAsyncDisposable
{
    public const int Width = 390;
    public const int Height = 844;

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot.Path, "TestResults", "browser");

    private readonly IBrowserContext _context;

    private PhoneVisit(IBrowserContext context, IPage page, Uri origin)
    {
        _context = context;
        Page = page;
        Origin = origin;
    }

    public IPage Page { get; }

    public Uri Origin { get; }

    public int Status { get; private set; }

    public List<string> Requests { get; } = [];

    public List<string> Errors { get; } = [];

    public string ScreenshotPath { get; private set; } = "";

    public static async Task<PhoneVisit> OpenAsync(IBrowser browser, Uri origin, string pathAndQuery, string screenshotName)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = Width, Height = Height },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Locale = "en-US",
        });
        var visit = new PhoneVisit(context, await context.NewPageAsync(), origin);
        await context.RouteAsync("**/*", route =>
            visit.IsSameOrigin(route.Request.Url) ? route.ContinueAsync() : route.AbortAsync("blockedbyclient"));
        context.Request += (_, request) =>
        {
            lock (visit.Requests)
            {
                visit.Requests.Add(request.Url);
            }
        };
        var address = new Uri(origin, pathAndQuery).ToString();
        visit.Page.Console += (_, message) =>
        {
            // Chromium reports a document's own 4xx status as a console error; that status is the
            // page's to choose (404 for the not-found page) and is asserted on its own.
            var ownStatus = message.Text.StartsWith("Failed to load resource: the server responded with a status of", StringComparison.Ordinal)
                && message.Location.StartsWith(address + ":", StringComparison.Ordinal);
            if (message.Type == "error" && !ownStatus)
            {
                lock (visit.Errors)
                {
                    visit.Errors.Add("console: " + message.Text);
                }
            }
        };
        visit.Page.PageError += (_, error) =>
        {
            lock (visit.Errors)
            {
                visit.Errors.Add("page: " + error);
            }
        };

        var response = await visit.Page.GotoAsync(address, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        visit.Status = response?.Status ?? 0;
        Directory.CreateDirectory(ScreenshotDirectory);
        visit.ScreenshotPath = Path.Combine(ScreenshotDirectory, screenshotName + ".png");
        await visit.Page.ScreenshotAsync(new PageScreenshotOptions { Path = visit.ScreenshotPath, FullPage = true });
        return visit;
    }

    /// <summary>The text a person sees on the page.</summary>
    public Task<string> VisibleTextAsync() => Page.Locator("body").InnerTextAsync();

    public bool IsSameOrigin(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme == Origin.Scheme && uri.Host == Origin.Host && uri.Port == Origin.Port;

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
