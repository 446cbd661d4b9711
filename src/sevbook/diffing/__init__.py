"""Helpers of `sevbook diff` (`sevbook.diff`): what a comparison may leave out."""
