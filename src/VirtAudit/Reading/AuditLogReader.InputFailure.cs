using System;
using System.IO;
using System.Runtime.ExceptionServices;

namespace VirtAudit;

// When the input fails (a corrupt or cut .gz, an I/O error), the bytes of the line it was in the middle of are not
// dropped (issue 12, finding 8): the read ends the input, the line held is handed out as an error item that says why,
// and the next read throws the failure. So lines read = records + errors still holds, and the failure is not hidden.
public sealed partial class AuditLogReader
{
    private ExceptionDispatchInfo? _inputFailure;

    // Records the failure; the input ends here (0 bytes read), so a line held in the buffer comes out next.
    private int InputFailed(Exception failure)
    {
        _inputFailure = ExceptionDispatchInfo.Capture(failure);
        return 0;
    }

    // The line the input failed in: an error item (Malformed, at its end), never a record built from a cut line.
    private void HeldLineError(long lineNumber, in BufferedLine line) =>
        Error(AuditLogErrorKind.Malformed, lineNumber, line, line.Bytes.Length, "the input failed before this line ended: " + _inputFailure!.SourceException.Message, "line");

    // After every line held was handed out: the failure itself, thrown once.
    private void ThrowInputFailure()
    {
        ExceptionDispatchInfo? failure = _inputFailure;
        if (failure is not null)
        {
            _inputFailure = null;
            failure.Throw();
        }
    }
}
