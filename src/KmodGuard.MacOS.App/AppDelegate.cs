using System.Reflection;

namespace KmodGuard.MacOS.App;

/// <summary>One small window: the extension's status and buttons to activate or deactivate it.</summary>
[Register("AppDelegate")]
internal sealed class AppDelegate : NSApplicationDelegate
{
    private static readonly string ExtensionId = typeof(AppDelegate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "ExtensionBundleId").Value!;

    private NSWindow? _window;
    private NSTextField? _status;

    public override void DidFinishLaunching(NSNotification notification)
    {
        _status = NSTextField.CreateLabel("Checking the KmodGuard extension…");
        _status.Frame = new CGRect(20, 90, 440, 40);
        var activate = NSButton.CreateButton("Activate", () => Run(SystemExtensionRequests.Activate, "Activating"));
        activate.Frame = new CGRect(20, 30, 140, 32);
        var deactivate = NSButton.CreateButton("Deactivate", () => Run(SystemExtensionRequests.Deactivate, "Deactivating"));
        deactivate.Frame = new CGRect(170, 30, 140, 32);

        _window = new NSWindow(new CGRect(200, 200, 480, 150), NSWindowStyle.Titled | NSWindowStyle.Closable, NSBackingStore.Buffered, false)
        {
            Title = "KmodGuard",
        };
        _window.ContentView!.AddSubview(_status);
        _window.ContentView.AddSubview(activate);
        _window.ContentView.AddSubview(deactivate);
        _window.MakeKeyAndOrderFront(this);
        Refresh();
    }

    public override bool ApplicationShouldTerminateAfterLastWindowClosed(NSApplication sender) => true;

    private void Run(Action<string, Action<SystemExtensionState, long, string>> request, string doing)
    {
        Show($"{doing} {ExtensionId}…");
        request(ExtensionId, (state, code, message) =>
        {
            Show(state switch
            {
                SystemExtensionState.Failed => $"Failed (OSSystemExtensionError {code}): {message}",
                SystemExtensionState.NeedsApproval => $"Waiting for approval: {message}",
                SystemExtensionState.CompletesAfterReboot => "Done after the next restart.",
                _ => "Done.",
            });
            if (state != SystemExtensionState.NeedsApproval)
            {
                Refresh();
            }
        });
    }

    private void Refresh() => SystemExtensionRequests.Query(ExtensionId, (state, _, version) => Show(state switch
    {
        SystemExtensionState.Enabled => $"The KmodGuard extension {version} is active.",
        SystemExtensionState.AwaitingApproval => "The extension waits for approval in System Settings > Privacy & Security.",
        SystemExtensionState.Uninstalling => "The extension is being removed (restart to finish).",
        SystemExtensionState.Failed => $"Status unavailable: {version}",
        _ => "The KmodGuard extension is not installed. Activate it.",
    }));

    private void Show(string text) => InvokeOnMainThread(() => _status!.StringValue = text);
}
