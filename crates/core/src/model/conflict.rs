//! Model placeholder (being written).
