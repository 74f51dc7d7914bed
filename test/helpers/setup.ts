// Frames are compared as plain text: no colour codes, whatever the terminal says.
process.env.FORCE_COLOR = '0';
process.env.NO_COLOR = '1';
