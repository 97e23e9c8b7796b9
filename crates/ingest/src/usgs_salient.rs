//! Parser placeholder (being written).
