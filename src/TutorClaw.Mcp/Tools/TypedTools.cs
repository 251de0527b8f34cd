using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using ModelContextProtocol.Server;

namespace TutorClaw.Mcp.Tools;

/// <summary>
/// Registers a tool class the way <c>WithTools&lt;T&gt;()</c> does (one <see cref="McpServerTool"/>
/// per <c>[McpServerTool]</c> method, an instance per call from the request's services), with one
/// difference: the outputSchema is <see cref="ToolOutputSchema.For"/> the method's declared result
/// record, so it admits the error results too. A tool that declares no result record
/// (<c>UseStructuredContent</c> and <c>OutputSchemaType</c>) stops the server at start-up.
/// </summary>
public static class TypedTools
{
    public static IMcpServerBuilder WithTypedTools<[DynamicallyAccessedMembers(
        DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods |
        DynamicallyAccessedMemberTypes.PublicConstructors)] TTools>(
        this IMcpServerBuilder builder)
        where TTools : class
    {
        foreach (var method in typeof(TTools).GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance))
        {
            if (method.GetCustomAttribute<McpServerToolAttribute>() is not { } tool)
            {
                continue;
            }
            if (!tool.UseStructuredContent || tool.OutputSchemaType is null)
            {
                throw new InvalidOperationException(
                    $"The tool {tool.Name ?? method.Name} must set UseStructuredContent and name its result record in OutputSchemaType.");
            }
            var resultType = tool.OutputSchemaType;
            // The schema is built where the SDK builds its own, when the tools are first resolved, not at registration.
            builder.Services.AddSingleton(services => method.IsStatic
                ? McpServerTool.Create(method, target: null, Options(services, resultType))
                : McpServerTool.Create(
                    method,
                    request => ActivatorUtilities.CreateInstance<TTools>(request.Services ?? services),
                    Options(services, resultType)));
        }
        return builder;
    }

    private static McpServerToolCreateOptions Options(IServiceProvider services, Type resultType) =>
        new() { Services = services, OutputSchema = ToolOutputSchema.For(resultType) };
}
