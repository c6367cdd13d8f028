/**
 * The convenio documents (CNV-1, CNV-3, act. 20): every type and the draft are rendered, then read
 * back with pdfjs (text extraction) and rendered to PNG (@napi-rs/canvas) to prove the data is in
 * the PDF and the pages are not blank.
 *
 * To look at the pages: CONVENIO_PNG_DIR=.scratch/convenios npx vitest run
 * src/modules/convenios/convenio.documents.test.ts writes every page of every document there
 * (otherwise only page 1 is rendered, to a temporary directory).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy, RenderParameters } from 'pdfjs-dist/types/src/display/api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPesos } from '../../money.js';
import {
  CONVENIO_TYPE_TITLES,
  type ConvenioDocumentData,
  type ConvenioType,
  formatAmount,
  formatAnnualRate,
  formatLongDate,
  formatMonths,
  renderAcknowledgementPdf,
  renderConvenioPdf,
} from './convenio.documents.js';
import { pesosInWords } from './number-words.js';

const STANDARD_FONTS = `${join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;
const PNG_DIR = process.env.CONVENIO_PNG_DIR;

function sample(convenioType: ConvenioType, overrides: Partial<ConvenioDocumentData> = {}): ConvenioDocumentData {
  const mediator: ConvenioDocumentData['mediator'] = {
    RATIFIED: {
      name: 'Lic. Ana Sofía Núñez Peña',
      kind: 'cja_certified' as const,
      certificationNumber: 'CJA-PUE-0457',
      certificationExpiresOn: '2028-06-30',
      notaryNumber: null,
    },
    NOTARIAL: {
      name: 'Lic. Jesús Ibáñez Olvera',
      kind: 'notary' as const,
      certificationNumber: null,
      certificationExpiresOn: null,
      notaryNumber: '23',
    },
    ADMINISTRATIVE: {
      name: 'Mtra. Lucía Ramírez Güemes',
      kind: 'professional' as const,
      certificationNumber: null,
      certificationExpiresOn: null,
      notaryNumber: null,
    },
  }[convenioType];
  return {
    kind: 'final',
    convenioType,
    folio: 'CM-2026-000123',
    place: 'Puebla, Puebla',
    date: '2026-11-23',
    credit: {
      number: '2409876543',
      denomination: 'VSM',
      originalAmountCents: 35_000_000n,
      balanceCents: 41_234_567n,
      monthlyPaymentCents: 321_050n,
      interestRateBp: 900,
      termMonths: 360,
      monthsInArrears: 21,
      originationDate: '2006-03-15',
    },
    borrower: {
      name: 'José Ángel Güemes Ibáñez',
      nss: '12345678901',
      curp: 'GUIA800315HPLMBN09',
      rfc: 'GUIA800315AB1',
      birthDate: '1980-03-15',
      address: 'Calle 5 de Mayo núm. 123, Col. Centro, C.P. 72000, Puebla, Puebla',
      email: 'jose.guemes@example.com',
      phone: '222 123 4567',
    },
    delegation: { name: 'Delegación Regional Puebla', state: 'Puebla' },
    agency: { name: 'Soluciones Hipotecarias del Centro, S.C.' },
    representative: {
      name: 'Lic. Carlos Eduardo Peña Domínguez',
      hasLegalPowers: convenioType !== 'ADMINISTRATIVE',
      powerOfAttorney: convenioType !== 'ADMINISTRATIVE'
        ? 'la escritura pública número 45,678, otorgada ante la fe del Notario Público número 151 de la Ciudad de México'
        : null,
    },
    mediator,
    solution: {
      id: 'SOL-1',
      name: 'Responsabilidad Compartida',
      balanceBeforeCents: 41_234_567n,
      discountCents: 22_679_012n,
      balanceAfterCents: 18_555_555n,
      monthlyPaymentCents: 165_000n,
      insuranceFeesCents: 8_530n,
      totalMonthlyPaymentCents: 173_530n,
      paymentFactor: '0.0093',
      interestRateBp: 850,
      termMonths: 180,
      firstPaymentCents: 173_530n,
      firstPaymentDueOn: '2026-12-31',
      benefit: 'Saldo y mensualidad fijos en pesos, sin incrementos anuales',
      explanation: [
        'El crédito denominado en VSM se convierte a pesos: el saldo y la mensualidad dejan de actualizarse cada año.',
        'Se aplica un descuento al saldo del crédito y la mensualidad queda fija durante el plazo.',
      ],
    },
    paymentPlace: 'en ventanilla bancaria o en tiendas de conveniencia, con la referencia de pago 2409876543-7 del crédito',
    complaintsContact: 'https://quejas.example.gob.mx o al teléfono 800 008 3900',
    ...overrides,
  };
}

function draftOf(convenioType: ConvenioType): ConvenioDocumentData {
  return sample(convenioType, {
    kind: 'draft',
    folio: 'PRELIMINAR-2409876543-SOL-1',
    date: '2026-11-20',
    representative: null,
    mediator: null,
  });
}

async function openPdf(pdf: Buffer): Promise<PDFDocumentProxy> {
  return getDocument({ data: new Uint8Array(pdf), standardFontDataUrl: STANDARD_FONTS, verbosity: 0, isEvalSupported: false }).promise;
}

/** The text of each page, whitespace collapsed. */
async function pageTexts(pdf: Buffer): Promise<string[]> {
  const document = await openPdf(pdf);
  const texts: string[] = [];
  for (let number = 1; number <= document.numPages; number += 1) {
    const content = await (await document.getPage(number)).getTextContent();
    const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? ' ' : '') : '')).join('');
    texts.push(text.replace(/\s+/g, ' '));
  }
  await document.destroy();
  return texts;
}

/** Renders pages to PNG files; returns the share of dark pixels of each page. */
async function renderPng(pdf: Buffer, directory: string, name: string, allPages: boolean): Promise<number[]> {
  const document = await openPdf(pdf);
  const shares: number[] = [];
  const last = allPages ? document.numPages : 1;
  for (let number = 1; number <= last; number += 1) {
    const page = await document.getPage(number);
    const viewport = page.getViewport({ scale: 1.5 });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas: canvas as unknown as RenderParameters['canvas'], canvasContext: context as unknown as RenderParameters['canvasContext'], viewport }).promise;
    writeFileSync(join(directory, `${name}-p${number}.png`), canvas.toBuffer('image/png'));
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let index = 0; index < pixels.length; index += 4) {
      if (0.299 * pixels[index]! + 0.587 * pixels[index + 1]! + 0.114 * pixels[index + 2]! < 128) dark += 1;
    }
    shares.push(dark / (pixels.length / 4));
  }
  await document.destroy();
  return shares;
}

let pngDirectory: string;
beforeAll(() => {
  if (PNG_DIR) {
    mkdirSync(PNG_DIR, { recursive: true });
    pngDirectory = PNG_DIR;
  } else {
    pngDirectory = mkdtempSync(join(tmpdir(), 'convenios-'));
  }
});
afterAll(() => {
  if (!PNG_DIR) rmSync(pngDirectory, { recursive: true, force: true });
});

const TYPES: ConvenioType[] = ['RATIFIED', 'NOTARIAL', 'ADMINISTRATIVE'];

/** What every convenio must show, whatever its type (CNV-1). */
function expectCommonContent(text: string, data: ConvenioDocumentData): void {
  const s = data.solution;
  expect(text).toContain(data.folio);
  expect(text).toContain(data.borrower.name);
  expect(text).toContain(data.borrower.name.toUpperCase());
  expect(text).toContain(data.borrower.nss);
  expect(text).toContain(data.borrower.curp);
  expect(text).toContain(data.borrower.rfc);
  expect(text).toContain(data.borrower.address);
  expect(text).toContain(data.credit.number);
  expect(text).toContain(`por un monto original de ${formatAmount(data.credit.originalAmountCents)}`);
  expect(text).toContain(`el saldo del crédito asciende a ${formatAmount(data.credit.balanceCents)}`);
  expect(text).toContain('21 (veintiuna) mensualidades omisas');
  expect(text).toContain(formatLongDate(data.credit.originationDate));
  expect(text).toContain(`«${s.name}» (${s.id})`);
  // The terms of the solution, in figures and in words.
  for (const cents of [s.balanceBeforeCents, s.discountCents, s.balanceAfterCents, s.monthlyPaymentCents, s.insuranceFeesCents, s.totalMonthlyPaymentCents]) {
    expect(text).toContain(`${formatPesos(cents)} (${pesosInWords(cents)})`);
  }
  expect(text).toContain('$185,555.55 (ciento ochenta y cinco mil quinientos cincuenta y cinco pesos 55/100 M.N.)');
  expect(text).toContain(s.paymentFactor);
  expect(text).toContain('8.50 % anual');
  expect(text).toContain('180 (ciento ochenta) meses');
  expect(text).toContain(s.benefit!);
  for (const line of s.explanation) expect(text).toContain(line);
  // act. 20: the first payment, a single payment of the full amount by the deadline.
  expect(text).toContain(`el primer pago por la cantidad de ${formatAmount(s.firstPaymentCents)}, a más tardar el 31 de diciembre de 2026`);
  expect(text).toContain('un único pago por la cantidad completa');
  expect(text).toContain(data.paymentPlace);
  // Breach, confidentiality, personal data, voluntary and free of charge.
  expect(text).toContain('el presente convenio se tendrá por incumplido');
  expect(text).toContain('perderá los beneficios de la solución y de la reestructura');
  expect(text).toContain('re-mediación por una única ocasión adicional');
  expect(text).toContain('cobranza judicial');
  expect(text).toContain('artículo 6 de la Ley General de Mecanismos Alternativos de Solución de Controversias');
  expect(text).toContain('aviso de privacidad');
  expect(text).toContain('derechos ARCO');
  expect(text).toContain('de forma voluntaria');
  expect(text).toContain('El servicio de mediación es gratuito');
  expect(text).toContain(data.complaintsContact);
  // Signatures: the three signatories.
  expect(text).toContain('«EL ACREDITADO»');
  expect(text).toContain('POR «EL INSTITUTO»');
  expect(text).toContain('«EL MEDIADOR»');
}

describe('renderConvenioPdf — final convenio of each type (CNV-1, CNV-3, act. 20)', () => {
  it.each(TYPES)('CNV-1 %s: the PDF read back holds the parties, the credit, the solution, the first payment and the signatures', async (type) => {
    const data = sample(type);
    const pdf = await renderConvenioPdf(data);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = await pageTexts(pdf);
    const text = pages.join(' ');
    expectCommonContent(text, data);
    expect(text).toContain(CONVENIO_TYPE_TITLES[type].toUpperCase());
    expect(text).toContain(`${data.place}, a 23 de noviembre de 2026.`);
    expect(text).toContain('en Puebla, Puebla, el 23 de noviembre de 2026, ante «EL MEDIADOR»');
    expect(text).toContain(data.representative!.name);
    expect(text).toContain(data.mediator!.name);
    expect(text).not.toMatch(/preliminar/i);
    pages.forEach((page, index) => {
      expect(page).toContain(`Folio: ${data.folio}`);
      expect(page).toContain(`Página ${index + 1} de ${pages.length}`);
    });
  });

  it('CNV-1 RATIFIED: mediator certification and expiry, representative powers, cosa juzgada (LGMASC art. 98) and the CJA registration space', async () => {
    const text = (await pageTexts(await renderConvenioPdf(sample('RATIFIED')))).join(' ');
    expect(text).toContain('número de certificación CJA-PUE-0457, vigente hasta el 30 de junio de 2028');
    expect(text).toContain('EN SU CARÁCTER DE APODERADO LEGAL');
    expect(text).toContain('la escritura pública número 45,678');
    expect(text).toContain('Centro de Justicia Alternativa del Poder Judicial del Estado de Puebla');
    expect(text).toContain('tendrá la calidad de cosa juzgada, en términos del artículo 98');
    expect(text).toContain('exigir su cumplimiento forzoso ante el juez competente');
    expect(text).toContain('ESPACIO RESERVADO PARA LA INSCRIPCIÓN ANTE EL CENTRO DE JUSTICIA ALTERNATIVA');
    expect(text).toContain('Número de registro:');
    expect(text).toContain('Fecha de inscripción:');
  });

  it('CNV-1 NOTARIAL: the mediator is the notary, with his notary number, and the convenio is made before his faith', async () => {
    const text = (await pageTexts(await renderConvenioPdf(sample('NOTARIAL')))).join(' ');
    expect(text).toContain('TITULAR DE LA NOTARÍA PÚBLICA NÚMERO 23');
    expect(text).toContain('Notaría Pública número 23');
    expect(text).toContain('se celebra ante la fe de «EL MEDIADOR»');
    expect(text).toContain('la escritura pública número 45,678');
    expect(text).not.toContain('cosa juzgada');
    expect(text).not.toContain('Número de registro:');
  });

  it('CNV-1 ADMINISTRATIVE: a private agreement, not registered, whose representative needs no legal powers', async () => {
    const text = (await pageTexts(await renderConvenioPdf(sample('ADMINISTRATIVE')))).join(' ');
    expect(text).toContain('PROFESIONAL DE LA MEDIACIÓN');
    expect(text).toContain('EN SU CARÁCTER DE REPRESENTANTE DESIGNADO');
    expect(text).toContain('no se requiere que cuente con poderes de representación legal');
    expect(text).toContain('es un acuerdo de carácter privado');
    expect(text).toContain('no se inscribe ante un Centro de Justicia Alternativa');
    expect(text).not.toContain('cosa juzgada');
    expect(text).not.toContain('Número de registro:');
  });

  it('CNV-1 monthly payments are counted in the feminine (veintiuna mensualidades); a one-payment solution (SOL-3) says so', async () => {
    const monthly = sample('ADMINISTRATIVE', { solution: { ...sample('ADMINISTRATIVE').solution, termMonths: 21 } });
    expect((await pageTexts(await renderConvenioPdf(monthly))).join(' ')).toContain('mediante 21 (veintiuna) mensualidades de $1,735.30');
    const payOff = sample('RATIFIED', {
      solution: {
        ...sample('RATIFIED').solution,
        id: 'SOL-3',
        name: 'Descuento por Liquidación Anticipada',
        balanceBeforeCents: 6_000_001n,
        discountCents: 3_000_001n,
        balanceAfterCents: 3_000_000n,
        monthlyPaymentCents: 3_000_000n,
        insuranceFeesCents: 0n,
        totalMonthlyPaymentCents: 3_000_000n,
        paymentFactor: '1000.000000',
        interestRateBp: 0,
        termMonths: 1,
        firstPaymentCents: 3_000_000n,
        benefit: undefined,
        explanation: [],
      },
    });
    const text = (await pageTexts(await renderConvenioPdf(payOff))).join(' ');
    expect(text).toContain('el saldo de $30,000.00 (treinta mil pesos 00/100 M.N.) en un solo pago');
    expect(text).toContain('no se aplicará el descuento');
    expect(text).toContain('1 (un) mes');
    expect(text).toContain('0.00 % anual');
    expect(text).not.toContain('mensualidades de');
  });

  it('CNV-2: a final convenio refuses signatories of the wrong kind for its type', async () => {
    const ratified = sample('RATIFIED');
    await expect(renderConvenioPdf({ ...ratified, representative: { ...ratified.representative!, hasLegalPowers: false } })).rejects.toThrow(/CNV-2/);
    await expect(renderConvenioPdf({ ...ratified, mediator: sample('ADMINISTRATIVE').mediator })).rejects.toThrow(/CNV-2/);
    await expect(renderConvenioPdf({ ...sample('NOTARIAL'), mediator: ratified.mediator })).rejects.toThrow(/CNV-2/);
    await expect(renderConvenioPdf({ ...ratified, mediator: null })).rejects.toThrow(/CNV-1/);
    await expect(renderConvenioPdf({ ...ratified, representative: null })).rejects.toThrow(/CNV-1/);
  });
});

describe('renderConvenioPdf — convenio preliminar (CNV-3, act. 13)', () => {
  it.each(TYPES)('CNV-3 %s draft: PRELIMINAR on every page, blanks for the undesignated signatories and the signature date', async (type) => {
    const data = draftOf(type);
    const pages = await pageTexts(await renderConvenioPdf(data));
    const text = pages.join(' ');
    expectCommonContent(text, data);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, index) => {
      expect(page).toContain('PRELIMINAR · SIN VALIDEZ HASTA SU FIRMA');
      expect(page).toContain('Folio: PRELIMINAR-2409876543-SOL-1');
      expect(page).toContain(`Página ${index + 1} de ${pages.length}`);
    });
    expect(text).toContain('CONVENIO PRELIMINAR');
    expect(text).toContain('emitida el 20 de noviembre de 2026');
    // No signature date: the place is printed, the date left to fill by hand.
    expect(text).toContain('Puebla, Puebla, a ______ de ______________________ de __________.');
    expect(text).toContain('en Puebla, Puebla, el día ______ de ______________________ de __________, ante «EL MEDIADOR»');
    expect(text).not.toContain('23 de noviembre de 2026');
    expect(text).toContain('REPRESENTADO EN ESTE ACTO POR __________________________________');
    expect(text).toContain('Nombre: __________________');
  });
});

describe('renderAcknowledgementPdf — acuse de recibo (act. 20, CNV-1)', () => {
  it.each(TYPES)('act. 20 %s: the borrower acknowledges receiving his original: folio, date, type, solution, first payment and deadline', async (type) => {
    const data = sample(type);
    const pages = await pageTexts(await renderAcknowledgementPdf(data));
    const text = pages.join(' ');
    expect(pages).toHaveLength(1);
    expect(text).toContain('ACUSE DE RECIBO');
    expect(text).toContain(data.folio);
    expect(text).toContain(data.borrower.name);
    expect(text).toContain(data.credit.number);
    expect(text).toContain(CONVENIO_TYPE_TITLES[type]);
    expect(text).toContain('Responsabilidad Compartida (SOL-1)');
    expect(text).toContain('Fecha de firma 23 de noviembre de 2026');
    expect(text).toContain('$1,735.30 (mil setecientos treinta y cinco pesos 30/100 M.N.)');
    expect(text).toContain('Fecha límite del primer pago 31 de diciembre de 2026');
    expect(text).toContain('el primer pago debe realizarse en un único pago por la cantidad completa');
    expect(text).toContain('Fecha de recepción: 23 de noviembre de 2026');
    expect(text).toContain('RECIBÍ');
    expect(text).toContain(data.mediator!.name);
    expect(text).toContain('Página 1 de 1');
    expect(text).not.toMatch(/preliminar/i);
  });

  it('act. 20 draft: the preliminary acuse is marked PRELIMINAR and leaves the dates blank', async () => {
    const text = (await pageTexts(await renderAcknowledgementPdf(draftOf('RATIFIED')))).join(' ');
    expect(text).toContain('PRELIMINAR');
    expect(text).toContain('Fecha de recepción: ______________________');
    expect(text).not.toContain('23 de noviembre de 2026');
  });
});

describe('determinism and rendering', () => {
  it('CNV-3: the same data renders to the same bytes, dated from data.date', async () => {
    for (const data of [sample('RATIFIED'), draftOf('NOTARIAL')]) {
      const first = await renderConvenioPdf(data);
      const second = await renderConvenioPdf(structuredClone(data));
      expect(first.equals(second)).toBe(true);
      expect((await renderAcknowledgementPdf(data)).equals(await renderAcknowledgementPdf(data))).toBe(true);
    }
    const document = await openPdf(await renderConvenioPdf(sample('RATIFIED')));
    const info = (await document.getMetadata()).info as Record<string, unknown>;
    expect(info.CreationDate).toBe('D:20261123120000Z');
    expect(info.ModDate).toBe('D:20261123120000Z');
    await document.destroy();
    const later = await renderConvenioPdf(sample('RATIFIED', { date: '2026-11-24' }));
    expect(later.equals(await renderConvenioPdf(sample('RATIFIED')))).toBe(false);
  });

  it('CNV-3: page 1 of each document renders to a PNG that is not blank', async () => {
    const documents: Array<[string, Promise<Buffer>]> = [
      ...TYPES.map((type): [string, Promise<Buffer>] => [`convenio-${type.toLowerCase()}`, renderConvenioPdf(sample(type))]),
      ['convenio-ratified-draft', renderConvenioPdf(draftOf('RATIFIED'))],
      ['convenio-administrative-draft', renderConvenioPdf(draftOf('ADMINISTRATIVE'))],
      ['acuse-notarial', renderAcknowledgementPdf(sample('NOTARIAL'))],
      ['acuse-ratified-draft', renderAcknowledgementPdf(draftOf('RATIFIED'))],
    ];
    for (const [name, pdf] of documents) {
      const shares = await renderPng(await pdf, pngDirectory, name, PNG_DIR !== undefined);
      // Page 1 is full of text; a last page may hold only the registration box.
      shares.forEach((share, index) => {
        expect(share, `${name} page ${index + 1}`).toBeGreaterThan(index === 0 ? 0.01 : 0.001);
        expect(share, `${name} page ${index + 1}`).toBeLessThan(0.25);
      });
    }
  });

  it('Spanish characters of WinAnsi survive the round trip (á é í ó ú ñ ü ¿ ¡ « »)', async () => {
    const data = sample('ADMINISTRATIVE', {
      borrower: { ...sample('ADMINISTRATIVE').borrower, name: 'Ñoño Üribe Áéíóú' },
      solution: { ...sample('ADMINISTRATIVE').solution, explanation: ['¿Dudas? ¡Pregunte! «Sí» — ≤ 5 días'] },
    });
    const text = (await pageTexts(await renderConvenioPdf(data))).join(' ');
    expect(text).toContain('Ñoño Üribe Áéíóú');
    expect(text).toContain('ÑOÑO ÜRIBE ÁÉÍÓÚ');
    expect(text).toContain('¿Dudas? ¡Pregunte! «Sí» — <= 5 días');
  });
});

describe('formatting helpers', () => {
  it('dates, rates, months and amounts in the forms the convenio prints', () => {
    expect(formatLongDate('2026-11-23')).toBe('23 de noviembre de 2026');
    expect(formatLongDate('2027-01-01')).toBe('1 de enero de 2027');
    expect(() => formatLongDate('2026-02-30')).toThrow(RangeError);
    expect(() => formatLongDate('23/11/2026')).toThrow(RangeError);
    expect(formatAnnualRate(850)).toBe('8.50 % anual');
    expect(formatAnnualRate(1045)).toBe('10.45 % anual');
    expect(formatAnnualRate(5)).toBe('0.05 % anual');
    expect(formatMonths(1)).toBe('1 (un) mes');
    expect(formatMonths(21)).toBe('21 (veintiún) meses');
    expect(formatMonths(240)).toBe('240 (doscientos cuarenta) meses');
    expect(formatAmount(123_456_789n)).toBe('$1,234,567.89 (un millón doscientos treinta y cuatro mil quinientos sesenta y siete pesos 89/100 M.N.)');
  });
});
