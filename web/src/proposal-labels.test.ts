import { describe, expect, it } from 'vitest';
import { creditNumbersProblem, parseCreditNumbers, reasonProblem } from './proposal-labels';

describe('parseCreditNumbers (the credit-number box of a proposal, ENT-A/ENT-B)', () => {
  it('reads numbers one per line or separated by commas, semicolons and spaces, without repetitions', () => {
    expect(parseCreditNumbers('1500000001\n1500000002, 1500000003;1500000004  1500000001\r\n\t')).toEqual({
      creditNumbers: ['1500000001', '1500000002', '1500000003', '1500000004'],
      invalid: [],
    });
  });

  it('keeps what is not exactly 10 ASCII digits apart, in the order written', () => {
    expect(parseCreditNumbers('123456789 15000000011 15000-00001 1500000001 abc 123456789')).toEqual({
      creditNumbers: ['1500000001'],
      invalid: ['123456789', '15000000011', '15000-00001', 'abc'],
    });
    // Arabic-Indic digits are digits to Unicode, not to the credit register.
    expect(parseCreditNumbers('١٥٠٠٠٠٠٠٠١').invalid).toHaveLength(1);
  });
});

describe('creditNumbersProblem', () => {
  it('names the wrong entries (at most five, then how many more)', () => {
    const problem = creditNumbersProblem(parseCreditNumbers('1 2 3 4 5 6 7 1500000001'));
    expect(problem).toBe(
      'Cada número de crédito tiene exactamente 10 dígitos, sin letras ni guiones. Esto no son números de crédito: «1», «2», «3», «4», «5» y 2 más.',
    );
    expect(creditNumbersProblem(parseCreditNumbers('12345'))).toMatch(/Esto no es un número de crédito: «12345»\.$/);
  });

  it('asks for at least one number, and at most 5,000', () => {
    expect(creditNumbersProblem(parseCreditNumbers(' \n, '))).toBe('Escriba al menos un número de crédito de 10 dígitos.');
    const many = Array.from({ length: 5_001 }, (_, i) => String(1_500_000_000 + i)).join('\n');
    expect(creditNumbersProblem(parseCreditNumbers(many))).toMatch(/a lo más 5,000 créditos; escribió 5,001/);
    expect(creditNumbersProblem(parseCreditNumbers(many.split('\n').slice(0, 5_000).join(',')))).toBeNull();
  });
});

describe('reasonProblem', () => {
  it('requires 5 to 2,000 characters after trimming, as the server does', () => {
    expect(reasonProblem('  abcd  ')).toMatch(/al menos 5 caracteres/);
    expect(reasonProblem('abcde')).toBeNull();
    expect(reasonProblem('x'.repeat(2_001))).toMatch(/a lo más 2,000 caracteres/);
  });
});
