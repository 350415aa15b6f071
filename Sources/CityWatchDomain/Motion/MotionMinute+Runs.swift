extension MotionMinute {
    /// The start of the hour holding this minute, in seconds of the analysis clock.
    public var hourStart: Int64 { (minute * 60).floorDivided(by: 3_600) * 3_600 }

    /// Adds the seconds of this minute to the runs of its hour: every cell of a 16 × 9 grid
    /// that moved in a second, or every cell for a grid of another size that moved at all (it
    /// counts as a whole picture, as ``scan(minute:secondsBytes:cells:into:)`` does).
    public func addRuns(to runs: inout CellRuns) {
        let hour = hourStart
        for grid in grids {
            let moved = grid.columns == GridCells.columns && grid.rows == GridCells.rows
                ? GridCells(values: grid.cells) : (grid.isEmpty ? .none : .all)
            let second = Int(grid.second - hour)
            runs.add(moved, seconds: second..<(second + 1))
        }
    }
}
