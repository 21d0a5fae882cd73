using KmodGuard.Agent;

return Cli.Invoke(args, Console.Out, Console.Error);
