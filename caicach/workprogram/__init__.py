"""Work program (chương trình công tác): the committee's yearly program, its items, their
adjustment requests and the units' monthly reports on them (seed 001)."""
