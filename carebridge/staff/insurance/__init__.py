"""The front desk's review of insurance changes patients send: the queue, one change with its
card photos (accept or decline with a note), and the photos themselves."""
