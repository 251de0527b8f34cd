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
/// A tool that <see cref="ToolCatalog"/> describes is a <see cref="DescribedTool"/>: listed from the
/// catalog, built by reflection only when first needed.
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
            builder.Services.AddSingleton(services =>
            {
                // The schemas are built where the SDK builds its own: when the tool is first needed, not at registration.
                McpServerTool Build() => method.IsStatic
                    ? McpServerTool.Create(method, target: null, Options(services, resultType))
                    : McpServerTool.Create(
                        method,
                        request => ActivatorUtilities.CreateInstance<TTools>(request.Services ?? services),
                        Options(services, resultType));
                return tool.Name is { } name && ToolCatalog.Find(name) is { } description
                    ? new DescribedTool(description, Metadata(method), Build)
                    : Build();
            });
        }
        return builder;
    }

    /// <summary>What the SDK gives a tool as its metadata: the method, then the declaring type's attributes and the method's.</summary>
    private static object[] Metadata(MethodInfo method) =>
        [method, .. method.DeclaringType?.GetCustomAttributes(inherit: true) ?? [], .. method.GetCustomAttributes(inherit: true)];

    private static McpServerToolCreateOptions Options(IServiceProvider services, Type resultType) =>
        new() { Services = services, OutputSchema = ToolOutputSchema.For(resultType) };
}
