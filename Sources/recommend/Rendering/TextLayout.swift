/// Column layout for the terminal tables.
extension String {
    /// The text followed by spaces up to `width` characters (unchanged when it is as wide already).
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// Spaces up to `width` characters followed by the text (unchanged when it is as wide already).
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
