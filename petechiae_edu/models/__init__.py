"""Teaching models: pure functions over numpy, inputs and outputs in clinical units, no plotting, no I/O."""
