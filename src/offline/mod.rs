//! Offline checks: pure functions over shipped data (phone metadata, ZIP table, email lists).
