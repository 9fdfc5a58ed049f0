"""The front desk's review of address changes patients send from My details: the queue, and one
change beside the address on file (accept, or decline with a note)."""
