import { Module } from '@nestjs/common';
import { CallingWindowService } from './calling-window.service';

/** Calling windows read in each lead's own time zones. Stateless: import it where needed. */
@Module({ providers: [CallingWindowService], exports: [CallingWindowService] })
export class WindowsModule {}
