// The kernel audit subsystem is Linux only; on other systems the fixture skips every test before any call.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
