using BenchmarkDotNet.Running;

// Micro-benchmarks of README "Performance". Run by hand, in Release:
//   dotnet run -c Release --project tests/TutorClaw.Benchmarks -- --filter '*'
//   dotnet run -c Release --project tests/TutorClaw.Benchmarks -- --filter '*Webhook*'
// Results land in BenchmarkDotNet.Artifacts/ (git-ignored).
BenchmarkSwitcher.FromAssembly(typeof(TutorClaw.Benchmarks.ShortRunConfig).Assembly).Run(args);
