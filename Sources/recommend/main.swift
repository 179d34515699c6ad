import Foundation

var output = ""
var errors = ""
let status = RecommendTool.run(
    arguments: Array(CommandLine.arguments.dropFirst()), stdout: &output, stderr: &errors,
    terminal: Terminal.current(),
    stream: { bytes in
        // Straight from the buffer, without a copy into Data: a JSON ranking may be gigabytes.
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let written = write(1, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    break
                }
                offset += written
            }
        }
    })
FileHandle.standardOutput.write(Data(output.utf8))
FileHandle.standardError.write(Data(errors.utf8))
exit(status)
